using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Stoa.Comments.Bench;

/// <summary>User tokens as an app's backend signs them (HS256 with the app's secret, <c>sub</c> and <c>exp</c>).</summary>
internal static class Tokens
{
    private static readonly string s_header = Encode("""{"alg":"HS256","typ":"JWT"}""");

    public static string User(string secret, string userId, TimeSpan ttl)
    {
        var payload = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["sub"] = userId,
            ["exp"] = DateTimeOffset.UtcNow.Add(ttl).ToUnixTimeSeconds(),
        });
        var signed = $"{s_header}.{Encode(payload)}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signed));
        return $"{signed}.{Base64Url.EncodeToString(signature)}";
    }

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
}
