using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Stoa.Foundation.Json;

namespace Stoa.Foundation.Auth;

/// <summary>
/// Validates HS256 JSON Web Tokens with System.Security.Cryptography alone (no JWT library restores here, and the
/// ones that do carry known CVEs). Deliberately narrow: the header must say HS256 — never <c>none</c>, never an
/// asymmetric algorithm whose "public key" an attacker could feed as the HMAC secret; the signature is compared in
/// constant time; <c>exp</c> and <c>nbf</c> allow 30 s of clock skew; tokens over 8 KiB are refused before any
/// decoding.
/// </summary>
public static class JwtValidator
{
    public const int MaxTokenLength = 8 * 1024;
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);
    private const int MaxSubjectLength = 256;

    public static bool TryValidate(string token, IEnumerable<string> secrets, DateTimeOffset now,
        out JwtClaims? claims, out JwtFailure? failure)
    {
        claims = null;
        if (token.Length > MaxTokenLength)
        {
            failure = new(AuthErrors.TokenTooLarge, $"The token is longer than {MaxTokenLength} characters.");
            return false;
        }

        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = firstDot < 0 ? -1 : token.IndexOf('.', firstDot + 1);
        if (firstDot <= 0 || secondDot < 0 || token.IndexOf('.', secondDot + 1) >= 0 || secondDot == token.Length - 1)
        {
            failure = new(AuthErrors.TokenMalformed, "The token is not three base64url parts separated by dots.");
            return false;
        }

        if (!TryDecode(token.AsSpan(0, firstDot), out var header)
            || !TryDecode(token.AsSpan(firstDot + 1, secondDot - firstDot - 1), out var payload)
            || !TryDecode(token.AsSpan(secondDot + 1), out var signature))
        {
            failure = new(AuthErrors.TokenMalformed, "A part of the token is not valid base64url.");
            return false;
        }

        if (!TryReadHeader(header, out failure))
        {
            return false;
        }

        // Only now, with the algorithm pinned, is the signature checked: against every currently valid secret.
        var signedLength = Encoding.ASCII.GetByteCount(token.AsSpan(0, secondDot));
        var signed = ArrayPool<byte>.Shared.Rent(signedLength);
        try
        {
            Encoding.ASCII.GetBytes(token.AsSpan(0, secondDot), signed);
            var valid = false;
            Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
            foreach (var secret in secrets)
            {
                HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed.AsSpan(0, signedLength), expected);
                valid |= signature.Length == expected.Length && CryptographicOperations.FixedTimeEquals(signature, expected);
            }

            if (!valid)
            {
                failure = new(AuthErrors.TokenSignatureInvalid, "The token's signature does not match the app's secret.");
                return false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(signed);
        }

        return TryReadPayload(payload, now, out claims, out failure);
    }

    private static bool TryReadHeader(byte[] header, out JwtFailure? failure)
    {
        failure = null;
        try
        {
            using var document = JsonText.Parse(header, new JsonDocumentOptions { MaxDepth = 4 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                failure = new(AuthErrors.TokenMalformed, "The token header is not a JSON object.");
                return false;
            }

            if (!root.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "HS256")
            {
                failure = new(AuthErrors.TokenAlgorithmNotAllowed, "Only HS256 tokens are accepted.");
                return false;
            }

            if (root.TryGetProperty("crit", out _))
            {
                failure = new(AuthErrors.TokenMalformed, "Critical header extensions are not supported.");
                return false;
            }

            return true;
        }
        catch (JsonException)
        {
            failure = new(AuthErrors.TokenMalformed, "The token header is not valid JSON.");
            return false;
        }
    }

    private static bool TryReadPayload(byte[] payload, DateTimeOffset now, out JwtClaims? claims, out JwtFailure? failure)
    {
        claims = null;
        failure = null;
        try
        {
            using var document = JsonText.Parse(payload, new JsonDocumentOptions { MaxDepth = 8 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                failure = new(AuthErrors.TokenMalformed, "The token payload is not a JSON object.");
                return false;
            }

            var isServer = root.TryGetProperty("server", out var server) && server.ValueKind == JsonValueKind.True;
            if (!root.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String
                || sub.GetString() is not { Length: > 0 and <= MaxSubjectLength } subject || subject.Any(char.IsControl))
            {
                failure = new(AuthErrors.TokenMissingSubject, $"The token needs a \"sub\" claim (the user id, 1 to {MaxSubjectLength} characters).");
                return false;
            }

            DateTimeOffset? expiresAt = null;
            if (root.TryGetProperty("exp", out var exp))
            {
                if (!TryReadTime(exp, out var value))
                {
                    failure = new(AuthErrors.TokenMalformed, "The \"exp\" claim is not a number of seconds.");
                    return false;
                }

                expiresAt = value;
                if (value + ClockSkew <= now)
                {
                    failure = new(AuthErrors.TokenExpired, "The token has expired.");
                    return false;
                }
            }
            else
            {
                // Server tokens too: a leaked backend token without an end would be valid until the secret rotates.
                failure = new(AuthErrors.TokenMissingExpiry, "Tokens need an \"exp\" claim (server tokens too).");
                return false;
            }

            if (root.TryGetProperty("nbf", out var nbf))
            {
                if (!TryReadTime(nbf, out var notBefore))
                {
                    failure = new(AuthErrors.TokenMalformed, "The \"nbf\" claim is not a number of seconds.");
                    return false;
                }

                if (notBefore - ClockSkew > now)
                {
                    failure = new(AuthErrors.TokenNotYetValid, "The token is not valid yet.");
                    return false;
                }
            }

            claims = new JwtClaims(subject, isServer, expiresAt);
            return true;
        }
        catch (JsonException)
        {
            failure = new(AuthErrors.TokenMalformed, "The token payload is not valid JSON.");
            return false;
        }
    }

    private static bool TryReadTime(JsonElement element, out DateTimeOffset time)
    {
        time = default;
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var seconds)
            || !double.IsFinite(seconds) || seconds < 0 || seconds > 253402300799)
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        return true;
    }

    /// <summary>Strict base64url: no padding, no whitespace, no characters outside the alphabet.</summary>
    private static bool TryDecode(ReadOnlySpan<char> part, out byte[] bytes)
    {
        bytes = [];
        if (part.IsEmpty || part.Length % 4 == 1)
        {
            return false;
        }

        foreach (var c in part)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        bytes = new byte[Base64Url.GetMaxDecodedLength(part.Length)];
        if (Base64Url.DecodeFromChars(part, bytes, out var consumed, out var written) != OperationStatus.Done || consumed != part.Length)
        {
            return false;
        }

        bytes = bytes[..written];
        return true;
    }
}
