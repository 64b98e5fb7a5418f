using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Stoa.Chaos;

/// <summary>The KEY=value file written by <c>scripts/cluster</c> (STOA_CLUSTER_CREDENTIALS).</summary>
internal sealed record Credentials(string ApiKey, string Secret, string UserToken, string ServerToken)
{
    /// <summary>A second user's token (comments cannot be voted on by their author), signed like <c>stoa token</c>.</summary>
    public string VoterToken { get; } = Issue(Secret, "chaos-voter");

    public static Credentials Read(string path)
    {
        var values = File.ReadAllLines(path)
            .Select(line => line.Split('=', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        return new Credentials(values["STOA_API_KEY"], values["STOA_APP_SECRET"], values["STOA_USER_TOKEN"], values["STOA_SERVER_TOKEN"]);
    }

    private static string Issue(string secret, string subject)
    {
        var now = DateTimeOffset.UtcNow;
        var header = Base64Url.EncodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"u8);
        var claims = new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddDays(1).ToUnixTimeSeconds(),
        };
        var payload = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64Url.EncodeToString(signature)}";
    }
}
