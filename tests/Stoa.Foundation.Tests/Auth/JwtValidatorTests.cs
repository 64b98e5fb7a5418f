using Stoa.Foundation.Auth;
using Stoa.Testing;

namespace Stoa.Foundation.Tests.Auth;

public sealed class JwtValidatorTests
{
    private const string Secret = "sk_test_secret";
    private static readonly DateTimeOffset s_now = DateTimeOffset.UtcNow;

    [Fact]
    public void Tokens_from_the_issuer_validate_with_their_claims()
    {
        var token = JwtIssuer.Issue(Secret, "alice", server: false, TimeSpan.FromHours(1), s_now);
        JwtValidator.TryValidate(token, [Secret], s_now, out var claims, out var failure).ShouldBeTrue(failure?.Message);
        claims!.Subject.ShouldBe("alice");
        claims.IsServer.ShouldBeFalse();
        claims.ExpiresAt!.Value.ToUnixTimeSeconds().ShouldBe(s_now.AddHours(1).ToUnixTimeSeconds());
    }

    [Fact]
    public void Server_tokens_need_an_expiry_like_user_tokens()
    {
        var server = JwtIssuer.Issue(Secret, "backend", server: true, TimeSpan.FromMinutes(5), s_now);
        JwtValidator.TryValidate(server, [Secret], s_now, out var claims, out _).ShouldBeTrue();
        claims!.IsServer.ShouldBeTrue();

        foreach (var payload in (string[])["""{"sub":"backend","server":true}""", """{"sub":"alice"}"""])
        {
            var token = TestTokens.Sign(Secret, """{"alg":"HS256"}""", payload);
            JwtValidator.TryValidate(token, [Secret], s_now, out _, out var failure).ShouldBeFalse(payload);
            failure!.Code.ShouldBe(AuthErrors.TokenMissingExpiry);
        }
    }

    [Theory]
    [InlineData("""{"alg":"\ud800"}""", """{"sub":"alice","exp":9999999999}""")]
    [InlineData("""{"alg":"HS256"}""", """{"sub":"\ud800","exp":9999999999}""")]
    [InlineData("""{"alg":"HS256"}""", """{"sub":"a\udc00b","server":true,"exp":9999999999}""")]
    public void Strings_that_are_not_text_make_a_malformed_token_not_an_exception(string header, string payload)
    {
        // JsonDocument accepts "\ud800" (a lone surrogate); reading it as a string throws unless caught.
        var token = TestTokens.Sign(Secret, header, payload);
        JwtValidator.TryValidate(token, [Secret], s_now, out _, out var failure).ShouldBeFalse();
        failure!.Code.ShouldBe(AuthErrors.TokenMalformed);
    }

    [Fact]
    public void Any_of_the_valid_secrets_verifies_during_a_rotation()
    {
        var token = TestTokens.User("old", "alice");
        JwtValidator.TryValidate(token, ["new", "old"], s_now, out _, out _).ShouldBeTrue();
        JwtValidator.TryValidate(token, ["new"], s_now, out _, out var failure).ShouldBeFalse();
        failure!.Code.ShouldBe(AuthErrors.TokenSignatureInvalid);
    }

    [Fact]
    public void Every_truncation_of_a_valid_token_is_refused_without_throwing()
    {
        var token = TestTokens.User(Secret, "alice");
        for (var length = 0; length < token.Length; length++)
        {
            JwtValidator.TryValidate(token[..length], [Secret], s_now, out _, out var failure).ShouldBeFalse($"length {length}");
            failure!.Code.ShouldBeOneOf(AuthErrors.TokenMalformed, AuthErrors.TokenSignatureInvalid);
        }
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        var random = new Random(20261121);
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"";
        for (var i = 0; i < 5_000; i++)
        {
            var chars = new char[random.Next(0, 200)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = Alphabet[random.Next(Alphabet.Length)];
            }

            JwtValidator.TryValidate(new string(chars), [Secret], s_now, out _, out _).ShouldBeFalse($"seed 20261121, case {i}");
        }
    }

    [Fact]
    public void Flipping_any_character_of_the_signature_invalidates_it()
    {
        var token = TestTokens.User(Secret, "alice");
        var start = token.LastIndexOf('.') + 1;
        for (var i = start; i < token.Length; i++)
        {
            var chars = token.ToCharArray();
            chars[i] = chars[i] == 'A' ? 'B' : 'A';
            JwtValidator.TryValidate(new string(chars), [Secret], s_now, out _, out _).ShouldBeFalse($"position {i}");
        }
    }
}
