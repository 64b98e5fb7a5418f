using System.Net;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Testing;

namespace Stoa.Server.Tests.Hostile;

/// <summary>
/// Anyone can send made-up API keys. Each key the node does not know yet costs a store query, so those lookups are
/// limited per client address before they are made; a real key the node knows keeps working through the flood.
/// </summary>
public sealed class CredentialFloodTests
{
    [Fact]
    public async Task A_flood_of_made_up_keys_gets_429s_instead_of_a_store_query_each()
    {
        await using var app = await TestApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Stoa:RateLimits:Policies:auth:Capacity"] = "20",
            ["Stoa:RateLimits:Policies:auth:TokensPerSecond"] = "0.01",
        });
        var ct = TestContext.Current.CancellationToken;
        using var legitimate = (await app.CreateTenantAsync()).App();
        (await legitimate.GetAsync("/v1/probe/app", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        using var attacker = app.CreateClient();
        var codes = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/probe/app");
            request.Headers.Add("X-Api-Key", $"pk_madeup{i:D4}");
            using var response = await attacker.SendAsync(request, ct);
            response.StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests);
            var problem = await response.ShouldBeProblemAsync(response.StatusCode,
                response.StatusCode == HttpStatusCode.Unauthorized ? AuthErrors.InvalidApiKey : FoundationErrors.RateLimited);
            codes.Add(problem.GetProperty("code").GetString()!);
        }

        // 19 lookups were left after the legitimate client's; each later made-up key is refused before any lookup.
        codes.Take(19).ShouldAllBe(c => c == AuthErrors.InvalidApiKey);
        codes.Skip(19).ShouldAllBe(c => c == FoundationErrors.RateLimited);
        (await legitimate.GetAsync("/v1/probe/app", ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "a key the node knows costs no lookup");

        using var repeat = new HttpRequestMessage(HttpMethod.Get, "/v1/probe/app");
        repeat.Headers.Add("X-Api-Key", "pk_madeup0000");
        await (await attacker.SendAsync(repeat, ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, AuthErrors.InvalidApiKey);
    }
}
