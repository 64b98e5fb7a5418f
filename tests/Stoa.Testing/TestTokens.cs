using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Stoa.Testing;

/// <summary>
/// Mints JWTs for tests with its own few lines of HS256 (not the server's issuer), so the validator is checked
/// against an independent implementation, and so attack tests can sign any header and payload they like.
/// </summary>
public static class TestTokens
{
    public static string User(string secret, string userId, TimeSpan? ttl = null) =>
        Sign(secret, """{"alg":"HS256","typ":"JWT"}""", $$"""{"sub":"{{userId}}","exp":{{Exp(ttl ?? TimeSpan.FromHours(1))}}}""");

    public static string Server(string secret, string subject = "backend") =>
        Sign(secret, """{"alg":"HS256","typ":"JWT"}""", $$"""{"sub":"{{subject}}","server":true,"exp":{{Exp(TimeSpan.FromHours(1))}}}""");

    public static long Exp(TimeSpan fromNow) => DateTimeOffset.UtcNow.Add(fromNow).ToUnixTimeSeconds();

    public static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    /// <summary>Signs any header and payload JSON with HMAC-SHA256 of the secret.</summary>
    public static string Sign(string secret, string headerJson, string payloadJson)
    {
        var signed = $"{Encode(headerJson)}.{Encode(payloadJson)}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signed));
        return $"{signed}.{Base64Url.EncodeToString(signature)}";
    }

    /// <summary>An unsigned token (<c>alg: none</c>), as an attacker would send it.</summary>
    public static string Unsigned(string payloadJson) => $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{Encode(payloadJson)}.";
}
