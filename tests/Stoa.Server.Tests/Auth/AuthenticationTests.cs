using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Stoa.Foundation.Auth;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Testing;

namespace Stoa.Server.Tests.Auth;

/// <summary>API keys and tokens over the real pipeline, including the attacks a public API sees.</summary>
public sealed class AuthenticationTests : IAsyncLifetime
{
    private TestApp _app = null!;
    private TestTenant _tenant = null!;
    private TestTenant _other = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAsync();
        _tenant = await _app.CreateTenantAsync("tenant");
        _other = await _app.CreateTenantAsync("other");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<HttpResponseMessage> GetWithToken(string path, string? token, string? apiKey = null)
    {
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", apiKey ?? _tenant.ApiKey);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task A_valid_user_token_identifies_the_app_and_the_user()
    {
        using var client = _tenant.User("alice");
        var response = await client.GetAsync("/v1/probe/user", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var caller = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        caller.GetProperty("userId").GetString().ShouldBe("alice");
        caller.GetProperty("isServer").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task Missing_and_unknown_api_keys_are_401_with_their_own_codes()
    {
        using var anonymous = _app.CreateClient();
        await (await anonymous.GetAsync("/v1/probe/app", Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.MissingApiKey);
        await (await GetWithToken("/v1/probe/app", null, "pk_not_a_real_key")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.InvalidApiKey);
        await (await GetWithToken("/v1/probe/app", null, new string('k', 5000))).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.InvalidApiKey);
    }

    [Fact]
    public async Task Endpoints_that_declare_nothing_under_v1_still_need_an_api_key()
    {
        using var anonymous = _app.CreateClient();
        await (await anonymous.GetAsync("/v1/probe/default", Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.MissingApiKey);
        using var app = _tenant.App();
        (await app.GetAsync("/v1/probe/default", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("/v1/probe/open", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task User_routes_need_a_token_and_server_routes_need_a_server_token()
    {
        using var app = _tenant.App();
        await (await app.GetAsync("/v1/probe/user", Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.MissingToken);
        using var user = _tenant.User("bob");
        await (await user.GetAsync("/v1/probe/server", Ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden, AuthErrors.ServerTokenRequired);
        using var server = _tenant.Server();
        (await server.GetAsync("/v1/probe/server", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await server.GetAsync("/v1/probe/user", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "the app's backend may act where a user may");
    }

    public static TheoryData<string, string> Attacks()
    {
        const string Secret = "__SECRET__";
        var exp = TestTokens.Exp(TimeSpan.FromHours(1));
        var valid = $$"""{"sub":"mallory","exp":{{exp}}}""";
        var data = new TheoryData<string, string>
        {
            // alg none, with and without a signature part
            { TestTokens.Unsigned(valid), AuthErrors.TokenMalformed },
            { TestTokens.Unsigned(valid) + "c2ln", AuthErrors.TokenAlgorithmNotAllowed },
            { TestTokens.Sign(Secret, """{"alg":"none"}""", valid), AuthErrors.TokenAlgorithmNotAllowed },
            { TestTokens.Sign(Secret, """{"alg":"None"}""", valid), AuthErrors.TokenAlgorithmNotAllowed },
            // algorithm confusion: asymmetric algorithms signed with the secret as if it were a public key
            { TestTokens.Sign(Secret, """{"alg":"RS256","typ":"JWT"}""", valid), AuthErrors.TokenAlgorithmNotAllowed },
            { TestTokens.Sign(Secret, """{"alg":"ES256","typ":"JWT"}""", valid), AuthErrors.TokenAlgorithmNotAllowed },
            { TestTokens.Sign(Secret, """{"alg":"HS512","typ":"JWT"}""", valid), AuthErrors.TokenAlgorithmNotAllowed },
            { TestTokens.Sign(Secret, """{"typ":"JWT"}""", valid), AuthErrors.TokenAlgorithmNotAllowed },
            // another app's secret
            { TestTokens.Sign("__OTHER__", """{"alg":"HS256"}""", valid), AuthErrors.TokenSignatureInvalid },
            // time
            { TestTokens.Sign(Secret, """{"alg":"HS256"}""", $$"""{"sub":"mallory","exp":{{TestTokens.Exp(TimeSpan.FromMinutes(-5))}}}"""), AuthErrors.TokenExpired },
            { TestTokens.Sign(Secret, """{"alg":"HS256"}""", $$"""{"sub":"mallory","exp":{{exp}},"nbf":{{TestTokens.Exp(TimeSpan.FromMinutes(10))}}}"""), AuthErrors.TokenNotYetValid },
            { TestTokens.Sign(Secret, """{"alg":"HS256"}""", """{"sub":"mallory"}"""), AuthErrors.TokenMissingExpiry },
            { TestTokens.Sign(Secret, """{"alg":"HS256"}""", """{"sub":"backend","server":true}"""), AuthErrors.TokenMissingExpiry },
            { TestTokens.Sign(Secret, """{"alg":"HS256"}""", """{"sub":"mallory","exp":"tomorrow"}"""), AuthErrors.TokenMalformed },
            // subject
            { TestTokens.Sign(Secret, """{"alg":"HS256"}""", $$"""{"exp":{{exp}}}"""), AuthErrors.TokenMissingSubject },
            { TestTokens.Sign(Secret, """{"alg":"HS256"}""", $$"""{"sub":"","exp":{{exp}}}"""), AuthErrors.TokenMissingSubject },
            { TestTokens.Sign(Secret, """{"alg":"HS256"}""", $$"""{"sub":42,"exp":{{exp}}}"""), AuthErrors.TokenMissingSubject },
            // shape
            { "abc", AuthErrors.TokenMalformed },
            { "a.b", AuthErrors.TokenMalformed },
            { "a.b.c.d", AuthErrors.TokenMalformed },
            { "!!!.###.$$$", AuthErrors.TokenMalformed },
            { TestTokens.Encode("""{"alg":"HS256"}""") + "==." + TestTokens.Encode(valid) + ".AAAA", AuthErrors.TokenMalformed },
            { TestTokens.Encode("not json") + "." + TestTokens.Encode(valid) + ".AAAA", AuthErrors.TokenMalformed },
            { TestTokens.Encode("[]") + "." + TestTokens.Encode(valid) + ".AAAA", AuthErrors.TokenMalformed },
            { TestTokens.Sign(Secret, """{"alg":"HS256"}""", "[1,2]"), AuthErrors.TokenMalformed },
            { TestTokens.Sign(Secret, """{"alg":"HS256","crit":["exp"]}""", valid), AuthErrors.TokenMalformed },
            // strings that are not text (lone surrogates): a 500 before any authentication, once
            { TestTokens.Sign(Secret, """{"alg":"\ud800"}""", valid), AuthErrors.TokenMalformed },
            { TestTokens.Encode("""{"alg":"\udfff","typ":"JWT"}""") + "." + TestTokens.Encode(valid) + ".AAAA", AuthErrors.TokenMalformed },
            { TestTokens.Sign(Secret, """{"alg":"HS256"}""", $$"""{"sub":"\ud800","exp":{{exp}}}"""), AuthErrors.TokenMalformed },
            { TestTokens.Sign(Secret, """{"alg":"HS256"}""", $$$"""{"sub":"mallory","exp":{{{exp}}},"x":{"\udc00":1}}"""), AuthErrors.TokenMalformed },
            // oversized
            { TestTokens.Sign(Secret, """{"alg":"HS256"}""", $$"""{"sub":"mallory","exp":{{exp}},"pad":"{{new string('x', 9000)}}"}"""), AuthErrors.TokenTooLarge },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public async Task Forged_and_broken_tokens_are_refused_with_a_distinct_code(string template, string code)
    {
        // Tokens built against the placeholder secret are re-signed with the tenant's real secret here.
        var token = Resign(template, "__SECRET__", _tenant.Secret);
        var response = await GetWithToken("/v1/probe/user", token);
        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized, code);
        response.Headers.WwwAuthenticate.ToString().ShouldBe("Bearer");
    }

    [Fact]
    public async Task A_truncated_token_is_refused()
    {
        var token = TestTokens.User(_tenant.Secret, "alice");
        var signatureStart = token.LastIndexOf('.') + 1;
        // Half a signature (still valid base64url): the HMAC cannot match.
        var halfSignature = token[..signatureStart] + System.Buffers.Text.Base64Url.EncodeToString(System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(signatureStart))[..16]);
        await (await GetWithToken("/v1/probe/user", halfSignature)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.TokenSignatureInvalid);
        // Cut mid-character: not base64url any more, or a signature of the wrong length; never accepted, never a 500.
        for (var cut = 1; cut < 12; cut++)
        {
            var response = await GetWithToken("/v1/probe/user", token[..^cut]);
            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        await (await GetWithToken("/v1/probe/user", token[..(token.LastIndexOf('.') + 1)])).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.TokenMalformed);
    }

    [Fact]
    public async Task A_valid_token_of_one_app_does_not_work_with_another_apps_key()
    {
        var token = TestTokens.User(_other.Secret, "alice");
        await (await GetWithToken("/v1/probe/user", token)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.TokenSignatureInvalid);
    }

    [Fact]
    public async Task Non_bearer_authorization_is_refused_not_ignored()
    {
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/probe/app");
        request.Headers.Add("X-Api-Key", _tenant.ApiKey);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "YWxpY2U6cHc=");
        await (await client.SendAsync(request, Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.TokenMalformed);
    }

    [Fact]
    public async Task Tokens_expired_within_the_clock_skew_still_pass()
    {
        var token = TestTokens.Sign(_tenant.Secret, """{"alg":"HS256"}""", $$"""{"sub":"alice","exp":{{TestTokens.Exp(TimeSpan.FromSeconds(-10))}}}""");
        (await GetWithToken("/v1/probe/user", token)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Authentication_happens_before_the_body_is_read()
    {
        using var client = _tenant.App();
        // Broken JSON, but no token: the answer is about the token, so nothing about the body leaks to strangers.
        await (await client.PostJsonTextAsync("/v1/probe/echo", "{broken")).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.MissingToken);
    }

    [Fact]
    public async Task Streaming_endpoints_accept_credentials_in_the_query_and_others_do_not()
    {
        using var client = _app.CreateClient();
        var token = TestTokens.User(_tenant.Secret, "carol");
        (await client.GetAsync($"/v1/probe/stream?api_key={_tenant.ApiKey}&access_token={token}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await client.GetAsync($"/v1/probe/user?api_key={_tenant.ApiKey}&access_token={token}", Ct))
            .ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.MissingApiKey);
    }

    [Fact]
    public async Task After_a_secret_rotation_both_secrets_work_during_the_grace_period()
    {
        var before = TestTokens.User(_tenant.Secret, "alice");
        var rotated = await _app.Services.GetRequiredService<AppStore>().RotateSecretAsync(_tenant.ApiKey, TimeSpan.FromHours(1), Ct);
        _app.Services.GetRequiredService<AppDirectory>().Forget(_tenant.ApiKey);
        rotated!.Secret.ShouldNotBe(_tenant.Secret);

        (await GetWithToken("/v1/probe/user", before)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await GetWithToken("/v1/probe/user", TestTokens.User(rotated.Secret, "alice"))).StatusCode.ShouldBe(HttpStatusCode.OK);

        await _app.Services.GetRequiredService<AppStore>().RotateSecretAsync(_tenant.ApiKey, TimeSpan.Zero, Ct);
        _app.Services.GetRequiredService<AppDirectory>().Forget(_tenant.ApiKey);
        await (await GetWithToken("/v1/probe/user", before)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.TokenSignatureInvalid);
    }

    /// <summary>Signs the token's header and payload again with <paramref name="to"/> if it was signed with <paramref name="from"/>.</summary>
    private static string Resign(string token, string from, string to)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return token;
        }

        var original = TestTokens.Sign(from, Decode(parts[0]), Decode(parts[1]));
        return original == token ? TestTokens.Sign(to, Decode(parts[0]), Decode(parts[1])) : token;
    }

    private static string Decode(string part)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(part));
        }
        catch (FormatException)
        {
            return part;
        }
    }
}
