using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Stoa.Foundation.Auth;

/// <summary>Signs HS256 tokens the way an app's backend would (used by <c>stoa token</c> and the dev token endpoint).</summary>
public static class JwtIssuer
{
    public static string Issue(string secret, string subject, bool server, TimeSpan ttl, DateTimeOffset now)
    {
        var header = Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
        var payloadJson = new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.Add(ttl).ToUnixTimeSeconds(),
        };

        if (server)
        {
            payloadJson["server"] = true;
        }

        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payloadJson, JwtJsonContext.Default.DictionaryStringObject));
        var signed = $"{header}.{payload}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signed));
        return $"{signed}.{Base64Url.EncodeToString(signature)}";
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, object>))]
[System.Text.Json.Serialization.JsonSerializable(typeof(long))]
[System.Text.Json.Serialization.JsonSerializable(typeof(bool))]
internal sealed partial class JwtJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
