using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Stoa.Foundation.Errors;

/// <summary>
/// Recognises the answers Kestrel writes by itself, before any middleware runs, to requests it cannot parse (a request
/// line over 8 KiB: 414; headers over 32 KiB: 431; <c>%00</c> in the path, a NUL in a header or a malformed request
/// line: 400; headers not received in time: 408), and rewrites them with the problem+json body every other error has.
/// Such an answer is one block: a 4xx or 5xx status line followed by exactly <c>Content-Length: 0</c>,
/// <c>Connection: close</c> and <c>Date</c>. No answer of the app has that shape, since every error it sends has a body
/// and a Content-Type, and every response it sends carries the security headers.
/// </summary>
internal static class KestrelRejection
{
    /// <summary>Kestrel's rejection blocks are short; anything longer is an ordinary response and is not looked at.</summary>
    public const int MaxLength = 256;

    private const int MinLength = 40;

    public static bool IsCandidate(ReadOnlySpan<byte> block) =>
        block.Length is >= MinLength and <= MaxLength
        && (block.StartsWith("HTTP/1.1 "u8) || block.StartsWith("HTTP/1.0 "u8))
        && block[9] is (byte)'4' or (byte)'5'
        && block.EndsWith("\r\n\r\n"u8);

    /// <summary>The problem+json answer that replaces <paramref name="block"/>, or null when it is not a Kestrel rejection.</summary>
    public static (byte[] Response, int Status, string Code, string TraceId)? TryRewrite(ReadOnlySpan<byte> block)
    {
        if (!IsCandidate(block))
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(block);
        var lines = text[..^4].Split("\r\n");
        var statusLine = lines[0];
        if (statusLine.Length < 12 || !int.TryParse(statusLine.AsSpan(9, 3), out var status) || (statusLine.Length > 12 && statusLine[12] != ' '))
        {
            return null;
        }

        string? date = null;
        var (zeroLength, closes) = (false, false);
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return null;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) && value == "0")
            {
                zeroLength = true;
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && value.Equals("close", StringComparison.OrdinalIgnoreCase))
            {
                closes = true;
            }
            else if (name.Equals("Date", StringComparison.OrdinalIgnoreCase))
            {
                date = value;
            }
            else
            {
                return null;
            }
        }

        if (!zeroLength || !closes)
        {
            return null;
        }

        var reason = statusLine.Length > 13 ? statusLine[13..] : Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        var (code, detail) = Describe(status);
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var body = Body(status, reason, code, detail, traceId);
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(status).Append(' ').Append(reason).Append("\r\n")
            .Append("Content-Type: application/problem+json\r\n")
            .Append("Content-Length: ").Append(body.Length).Append("\r\n")
            .Append("Connection: close\r\n");
        if (date is not null)
        {
            head.Append("Date: ").Append(date).Append("\r\n");
        }

        head.Append("Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\r\n");
        return ([.. Encoding.ASCII.GetBytes(head.ToString()), .. body], status, code, traceId);
    }

    private static (string Code, string Detail) Describe(int status) => status switch
    {
        400 => (FoundationErrors.BadRequest,
            "The request line or a header is malformed: a control character such as NUL (also as %00 in the path), an invalid path, method or header."),
        408 => (FoundationErrors.RequestTimeout, "The request headers did not arrive in time."),
        413 => (FoundationErrors.PayloadTooLarge, "The request body is larger than this endpoint accepts."),
        414 => (FoundationErrors.UriTooLong, "The request line is longer than 8 KiB."),
        431 => (FoundationErrors.HeaderFieldsTooLarge, "The request headers are larger than 32 KiB in all, or there are more than 100."),
        501 => (FoundationErrors.NotImplemented, "The request uses a transfer coding or method this server does not implement."),
        505 => (FoundationErrors.HttpVersionNotSupported, "Only HTTP/1.0, HTTP/1.1 and HTTP/2 are served."),
        _ => (FoundationErrors.ForStatus(status), "The server refused the request before reading it."),
    };

    private static byte[] Body(int status, string title, string code, string detail, string traceId)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            json.WriteString("detail", detail);
            json.WriteString(ProblemResponses.CodeKey, code);
            json.WriteString(ProblemResponses.TraceIdKey, traceId);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
