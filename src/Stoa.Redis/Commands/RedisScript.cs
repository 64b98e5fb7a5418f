using System.Security.Cryptography;
using System.Text;

namespace Stoa.Redis;

/// <summary>A Lua script and its SHA1, so it can be run with EVALSHA and loaded only when the server lacks it.</summary>
public sealed class RedisScript
{
    public RedisScript(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        Text = text;
        Sha1 = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
    }

    public string Text { get; }

    /// <summary>Lower-case hex SHA1 of the UTF-8 text, as Redis computes it.</summary>
    public string Sha1 { get; }
}
