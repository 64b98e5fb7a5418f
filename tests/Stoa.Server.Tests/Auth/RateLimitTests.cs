using System.Net;
using Stoa.Foundation.Errors;

using Stoa.Testing;

namespace Stoa.Server.Tests.Auth;

public sealed class RateLimitTests
{
    private static readonly Dictionary<string, string?> s_tight = new()
    {
        ["Stoa:RateLimits:Policies:tight:Capacity"] = "3",
        ["Stoa:RateLimits:Policies:tight:TokensPerSecond"] = "0.2",
    };

    [Fact]
    public async Task A_user_over_the_policy_gets_429_with_retry_after_and_other_users_do_not()
    {
        await using var app = await TestApp.StartAsync(settings: s_tight);
        var tenant = await app.CreateTenantAsync();
        var ct = TestContext.Current.CancellationToken;
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");

        for (var i = 0; i < 3; i++)
        {
            var ok = await alice.GetAsync("/v1/probe/limited", ct);
            ok.StatusCode.ShouldBe(HttpStatusCode.OK);
            ok.Headers.GetValues("X-RateLimit-Remaining").Single().ShouldBe((2 - i).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var refused = await alice.GetAsync("/v1/probe/limited", ct);
        await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests, FoundationErrors.RateLimited);
        int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeInRange(1, 5);

        (await bob.GetAsync("/v1/probe/limited", ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "buckets are per user");
    }

    [Fact]
    public async Task Callers_without_a_user_share_a_bucket_per_ip_and_app()
    {
        await using var app = await TestApp.StartAsync(settings: s_tight);
        var tenant = await app.CreateTenantAsync();
        var other = await app.CreateTenantAsync();
        using var client = tenant.App();
        using var otherClient = other.App();
        var ct = TestContext.Current.CancellationToken;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await client.GetAsync("/v1/probe/limited", ct)).StatusCode);
        }

        statuses.Count(s => s == HttpStatusCode.OK).ShouldBe(3);
        statuses.Count(s => s == HttpStatusCode.TooManyRequests).ShouldBe(2);
        (await otherClient.GetAsync("/v1/probe/limited", ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "another app has its own buckets");
    }

    [Fact]
    public async Task Limits_can_be_switched_off_by_configuration()
    {
        var settings = new Dictionary<string, string?>(s_tight) { ["Stoa:RateLimits:Enabled"] = "false" };
        await using var app = await TestApp.StartAsync(settings: settings);
        using var client = (await app.CreateTenantAsync()).App();
        for (var i = 0; i < 6; i++)
        {
            (await client.GetAsync("/v1/probe/limited", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
    }
}
