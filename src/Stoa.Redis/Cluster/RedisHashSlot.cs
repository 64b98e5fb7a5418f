using System.Buffers;
using System.Text;

namespace Stoa.Redis;

/// <summary>
/// The Redis Cluster key → slot function: CRC16 (XMODEM: polynomial 0x1021, initial value 0) of the key's UTF-8
/// bytes modulo 16384, where a key containing a non-empty <c>{hash tag}</c> hashes only the tag (the bytes between
/// its first <c>{</c> and the first <c>}</c> after it), so that related keys can be kept in one slot.
/// </summary>
public static class RedisHashSlot
{
    /// <summary>Number of slots in a Redis Cluster.</summary>
    public const int Count = 16384;

    private static readonly ushort[] s_table = BuildTable();

    /// <summary>The slot of a key given as a string (hashed as UTF-8, as it is sent).</summary>
    public static int Of(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int length = Encoding.UTF8.GetMaxByteCount(key.Length);
        byte[]? rented = length > 512 ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> buffer = rented ?? stackalloc byte[512];
        try
        {
            int written = Encoding.UTF8.GetBytes(key, buffer);
            return Of(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The slot of a key given as the bytes sent to the server.</summary>
    public static int Of(ReadOnlySpan<byte> key) => Crc16(HashedPart(key)) & (Count - 1);

    /// <summary>The hash tag when there is a non-empty one, otherwise the whole key (the cluster specification's rule:
    /// <c>{}</c> or an unclosed <c>{</c> hashes the whole key).</summary>
    private static ReadOnlySpan<byte> HashedPart(ReadOnlySpan<byte> key)
    {
        int open = key.IndexOf((byte)'{');
        if (open < 0)
        {
            return key;
        }

        int close = key[(open + 1)..].IndexOf((byte)'}');
        return close <= 0 ? key : key.Slice(open + 1, close);
    }

    internal static ushort Crc16(ReadOnlySpan<byte> data)
    {
        var table = s_table;
        ushort crc = 0;
        foreach (byte b in data)
        {
            crc = (ushort)((crc << 8) ^ table[((crc >> 8) ^ b) & 0xFF]);
        }

        return crc;
    }

    private static ushort[] BuildTable()
    {
        var table = new ushort[256];
        for (int i = 0; i < 256; i++)
        {
            ushort crc = (ushort)(i << 8);
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 0x8000) != 0 ? (ushort)((crc << 1) ^ 0x1021) : (ushort)(crc << 1);
            }

            table[i] = crc;
        }

        return table;
    }
}
