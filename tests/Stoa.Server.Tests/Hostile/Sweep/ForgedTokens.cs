using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Stoa.HostileSweep;

/// <summary>
/// Tokens an attacker can make without the app's secret, derived from a real user token: no signature, a changed
/// payload under the old signature, another algorithm, a guessed key, and shapes that are not tokens at all.
/// </summary>
public static class ForgedTokens
{
    public static IEnumerable<(string Name, string Token)> From(string userToken)
    {
        var parts = userToken.Split('.');
        var header = parts.Length == 3 ? Decode(parts[0]) : """{"alg":"HS256","typ":"JWT"}""";
        var payload = parts.Length == 3 ? Decode(parts[1]) : """{"sub":"sweep"}""";
        var signature = parts.Length == 3 ? parts[2] : "";
        var escalated = Mutate(payload, p =>
        {
            p["server"] = true;
            p["sub"] = "admin";
        });

        yield return ("alg none", $"{Encode("""{"alg":"none","typ":"JWT"}""")}.{Encode(escalated)}.");
        yield return ("alg none, no dot", $"{Encode("""{"alg":"none"}""")}.{Encode(escalated)}");
        yield return ("payload changed under the old signature", $"{parts[0]}.{Encode(escalated)}.{signature}");
        yield return ("alg HS512 with the HS256 signature", $"{Encode("""{"alg":"HS512","typ":"JWT"}""")}.{parts.ElementAtOrDefault(1)}.{signature}");
        yield return ("alg RS256 (key confusion)", Sign("""{"alg":"RS256","typ":"JWT"}""", payload, "public-key"));
        yield return ("signed with a guessed secret", Sign(header, escalated, "secret"));
        yield return ("expired, guessed secret", Sign(header, Mutate(payload, p => p["exp"] = 1), "secret"));
        yield return ("signature stripped", $"{parts[0]}.{parts.ElementAtOrDefault(1)}.");
        yield return ("not base64", "!!!.@@@.###");
        yield return ("two parts", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0");
        yield return ("header is not JSON", $"{Encode("not json")}.{parts.ElementAtOrDefault(1)}.{signature}");
        yield return ("payload is an array", Sign(header, "[1,2,3]", "secret"));
        yield return ("huge token", $"{parts[0]}.{Encode(new string('a', 12_000))}.{signature}");

        // Strings that are not text: before any signature check, reading "alg" once answered 500.
        yield return ("alg a lone surrogate", $"{Encode("""{"alg":"\ud800","typ":"JWT"}""")}.{parts.ElementAtOrDefault(1)}.{signature}");
        yield return ("sub a lone surrogate, guessed secret", Sign(header, payload.Replace("\"sub\":", "\"sub\":\"\\udc00\",\"was\":", StringComparison.Ordinal), "secret"));
        yield return ("server token without exp, guessed secret", Sign(header, """{"sub":"backend","server":true}""", "secret"));
    }

    private static string Mutate(string payloadJson, Action<JsonObject> change)
    {
        var payload = JsonNode.Parse(payloadJson) as JsonObject ?? new JsonObject();
        change(payload);
        return payload.ToJsonString();
    }

    private static string Sign(string headerJson, string payloadJson, string secret)
    {
        var signed = $"{Encode(headerJson)}.{Encode(payloadJson)}";
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(signed));
        return $"{signed}.{Base64Url.EncodeToString(signature)}";
    }

    private static string Encode(string json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));

    private static string Decode(string part)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(part));
        }
        catch (FormatException)
        {
            return "{}";
        }
    }
}
