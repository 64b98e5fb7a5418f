using System.Buffers;
using System.IO.Compression;
using Stoa.Previews.Core;

namespace Stoa.Previews.Fetching;

/// <summary>
/// Reads a response body through its Content-Encoding with two limits: at most <c>maxBytes</c> decoded bytes are ever
/// buffered (a bigger body is truncated), and a body that decodes to more than <c>maxRatio</c> times its wire size is
/// refused as a compression bomb. Decompression is streamed, so a bomb costs one buffer, never its expanded size.
/// </summary>
internal static class BodyReader
{
    private const int ChunkSize = 16 * 1024;

    // Below this many decoded bytes the ratio is not judged: small, very repetitive pages are legitimate.
    private const int RatioGrace = 256 * 1024;

    private static readonly byte[] s_headEnd = "</head"u8.ToArray();

    /// <param name="headSuffices">
    /// Asked once, with the bytes before <c>&lt;/head&gt;</c>, when that tag arrives: true stops reading there (the
    /// head holds everything a card needs), false reads on to the end or the cap. Null reads everything.
    /// </param>
    public static async Task<Body> ReadAsync(
        Stream wire, string[] contentEncodings, int maxBytes, double maxRatio, HeadGate? headSuffices, CancellationToken cancellationToken)
    {
        var stopAtHeadEnd = headSuffices is not null;
        var counting = new CountingStream(wire);
        await using var decoded = await DecodeAsync(counting, contentEncodings, cancellationToken);
        var compressed = !ReferenceEquals(decoded, counting);

        // One byte beyond the cap tells a body of exactly maxBytes from a longer one.
        var capacity = Math.Min(maxBytes + 1, 64 * 1024);
        var buffer = ArrayPool<byte>.Shared.Rent(capacity);
        var length = 0;
        var truncated = false;
        var headScanFrom = 0;
        try
        {
            while (true)
            {
                if (length == capacity)
                {
                    if (capacity > maxBytes)
                    {
                        break;
                    }

                    capacity = (int)Math.Min(capacity * 2L, maxBytes + 1L);
                    var bigger = ArrayPool<byte>.Shared.Rent(capacity);
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                int read;
                try
                {
                    read = await decoded.ReadAsync(buffer.AsMemory(length, Math.Min(ChunkSize, capacity - length)), cancellationToken);
                }
                catch (Exception ex) when (ex is InvalidDataException || (ex is InvalidOperationException && compressed) || (ex is IOException && length > 0))
                {
                    // A corrupt gzip/deflate (InvalidDataException) or brotli (InvalidOperationException) stream, or a
                    // connection reset mid-body: keep what arrived intact, as a browser renders a partial page.
                    // (A reset before any byte is the fetcher's "unreachable".)
                    truncated = true;
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                length += read;
                if (compressed && length > RatioGrace && length > maxRatio * Math.Max(1, counting.BytesRead))
                {
                    throw new PreviewException(PreviewErrors.UpstreamTooLarge);
                }

                if (stopAtHeadEnd)
                {
                    var (end, complete) = HeadEnd(buffer.AsSpan(headScanFrom, length - headScanFrom));
                    if (end >= 0 && complete)
                    {
                        var head = buffer.AsSpan(0, headScanFrom + end);
                        if (headSuffices!(head))
                        {
                            // Cut at the head's end too, so what the card is made of does not depend on chunk sizes.
                            length = head.Length;
                            truncated = true;
                            break;
                        }

                        stopAtHeadEnd = false;
                    }
                    else
                    {
                        // Rescan the tail: a "</head" may straddle two reads, or wait for the character after it.
                        headScanFrom = end >= 0 ? headScanFrom + end : Math.Max(0, length - s_headEnd.Length);
                    }
                }
            }

            if (length > maxBytes)
            {
                truncated = true;
                length = maxBytes;
            }

            return new Body(buffer.AsSpan(0, length).ToArray(), truncated, counting.BytesRead);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<Stream> DecodeAsync(Stream wire, string[] contentEncodings, CancellationToken cancellationToken)
    {
        var stream = wire;

        // Real servers apply one encoding; a long list would only stack decompressors (and their buffers).
        if (contentEncodings.Length > 2)
        {
            return Stream.Null;
        }

        // Encodings are listed in the order they were applied, so they are undone last first.
        for (var i = contentEncodings.Length - 1; i >= 0; i--)
        {
            switch (contentEncodings[i].Trim().ToLowerInvariant())
            {
                case "gzip" or "x-gzip":
                    stream = new GZipStream(stream, CompressionMode.Decompress);
                    break;
                case "br":
                    stream = new BrotliStream(stream, CompressionMode.Decompress);
                    break;
                case "deflate":
                    stream = await OpenDeflateAsync(stream, cancellationToken);
                    break;
                case "identity" or "":
                    break;
                default:
                    // An encoding we cannot undo yields bytes no charset decodes; better no body than garbage.
                    return Stream.Null;
            }
        }

        return stream;
    }

    private static async Task<Stream> OpenDeflateAsync(Stream stream, CancellationToken cancellationToken)
    {
        // HTTP "deflate" means zlib-wrapped, but some servers send raw deflate. A zlib header is CM=8 in the low nibble
        // of the first byte and a 16-bit big-endian value divisible by 31 (RFC 1950).
        var header = new byte[2];
        var read = 0;
        while (read < header.Length)
        {
            var n = await stream.ReadAsync(header.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        if (read == 0)
        {
            return Stream.Null;
        }

        var isZlib = read == 2 && (header[0] & 0x0F) == 8 && ((header[0] << 8) | header[1]) % 31 == 0;
        var rest = new PrefixedStream(header[..read], stream);
        return isZlib ? new ZLibStream(rest, CompressionMode.Decompress) : new DeflateStream(rest, CompressionMode.Decompress);
    }

    /// <summary>
    /// The first "&lt;/head" that ends a tag name (followed by '>', '/' or whitespace, so not "&lt;/header"), and whether
    /// the character after it has arrived yet.
    /// </summary>
    private static (int Index, bool Complete) HeadEnd(ReadOnlySpan<byte> data)
    {
        var from = 0;
        while (true)
        {
            var at = IndexOfIgnoreCase(data[from..], s_headEnd);
            if (at < 0)
            {
                return (-1, false);
            }

            at += from;
            var next = at + s_headEnd.Length;
            if (next >= data.Length)
            {
                return (at, false);
            }

            if (data[next] is (byte)'>' or (byte)'/' or (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f')
            {
                return (at, true);
            }

            from = next;
        }
    }

    private static int IndexOfIgnoreCase(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> asciiLowerNeedle)
    {
        for (var i = 0; i <= haystack.Length - asciiLowerNeedle.Length; i++)
        {
            var j = 0;
            while (j < asciiLowerNeedle.Length && ToLowerAscii(haystack[i + j]) == asciiLowerNeedle[j])
            {
                j++;
            }

            if (j == asciiLowerNeedle.Length)
            {
                return i;
            }
        }

        return -1;
    }

    private static byte ToLowerAscii(byte b) => b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b;

    public sealed record Body(byte[] Bytes, bool Truncated, long WireBytes);
}

/// <summary>Whether a page's head (the bytes before its &lt;/head&gt;) is enough for its card.</summary>
internal delegate bool HeadGate(ReadOnlySpan<byte> head);
