using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
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
    public async Task Behind_a_trusted_proxy_the_bucket_is_the_address_the_proxy_appended_not_one_the_client_wrote()
    {
        // The test client is on loopback, a trusted proxy, so X-Forwarded-For is read; only its last entry counts.
        var settings = new Dictionary<string, string?>(s_tight) { ["Stoa:TrustedProxies"] = "10.0.0.0/8" };
        await using var app = await TestApp.StartAsync(settings: settings);
        using var client = (await app.CreateTenantAsync()).App();
        var ct = TestContext.Current.CancellationToken;
        async Task<HttpStatusCode> SendAsync(string forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/probe/limited");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await client.SendAsync(request, ct);
            return response.StatusCode;
        }

        for (var i = 0; i < 3; i++)
        {
            (await SendAsync($"198.51.100.{i}, 203.0.113.7")).ShouldBe(HttpStatusCode.OK);
        }

        (await SendAsync("192.0.2.99, 203.0.113.7")).ShouldBe(HttpStatusCode.TooManyRequests, "a new first entry is the client's own word");
        (await SendAsync("203.0.113.8")).ShouldBe(HttpStatusCode.OK, "another client address has its own bucket");
    }

    [Fact]
    public async Task An_app_minting_new_user_ids_meets_its_per_app_ceiling()
    {
        var settings = new Dictionary<string, string?>(s_tight)
        {
            ["Stoa:RateLimits:Policies:tight:AppCapacity"] = "5",
            ["Stoa:RateLimits:Policies:tight:AppTokensPerSecond"] = "0.01",
        };
        await using var app = await TestApp.StartAsync(settings: settings);
        var tenant = await app.CreateTenantAsync();
        var other = await app.CreateTenantAsync();
        var ct = TestContext.Current.CancellationToken;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            // Every request from a fresh user: each has a full bucket of its own, the app has one bucket for all.
            using var user = tenant.User($"minted-{i}");
            statuses.Add((await user.GetAsync("/v1/probe/limited", ct)).StatusCode);
        }

        statuses.Count(s => s == HttpStatusCode.OK).ShouldBe(5);
        statuses.Skip(5).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);
        using var stranger = other.User("minted-0");
        (await stranger.GetAsync("/v1/probe/limited", ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "another app's ceiling is its own");
    }

    [Fact]
    public async Task Ipv6_clients_share_a_bucket_per_64_network()
    {
        var settings = new Dictionary<string, string?>(s_tight) { ["Stoa:TrustedProxies"] = "10.0.0.0/8" };
        await using var app = await TestApp.StartAsync(settings: settings);
        using var client = (await app.CreateTenantAsync()).App();
        var ct = TestContext.Current.CancellationToken;
        async Task<HttpStatusCode> SendAsync(string forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/probe/limited");
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await client.SendAsync(request, ct);
            return response.StatusCode;
        }

        // One subscriber holds the whole /64: rotating the low 64 bits must not buy it new buckets.
        (await SendAsync("2001:db8:1:2::1")).ShouldBe(HttpStatusCode.OK);
        (await SendAsync("2001:db8:1:2::2")).ShouldBe(HttpStatusCode.OK);
        (await SendAsync("2001:db8:1:2:ffff:ffff:ffff:fffe")).ShouldBe(HttpStatusCode.OK);
        (await SendAsync("2001:db8:1:2:abcd::9")).ShouldBe(HttpStatusCode.TooManyRequests);
        (await SendAsync("2001:db8:1:3::1")).ShouldBe(HttpStatusCode.OK, "the next /64 is another client");
    }

    [Fact]
    public async Task When_redis_does_not_answer_reads_go_through_and_writes_are_refused()
    {
        await using var redis = await RedisServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Stoa:Redis"] = redis.Url,
            ["Stoa:RateLimits:Policies:writes:Capacity"] = "100",
        };
        await using var app = await TestApp.StartAsync(settings: settings);
        using var user = (await app.CreateTenantAsync()).User("alice");
        var ct = TestContext.Current.CancellationToken;
        (await user.GetAsync("/v1/probe/limited", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        redis.Kill();
        (await user.GetAsync("/v1/probe/default", ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "a read is let through unchecked");
        (await user.PostAsJsonAsync("/v1/probe/search", new EchoRequest("x", 1), ct)).StatusCode
            .ShouldBe(HttpStatusCode.OK, "so is a POST declared a read (gRPC reads are POSTs)");
        var write = await user.PostAsJsonAsync("/v1/probe/echo", new EchoRequest("x", 1), ct);
        await write.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, FoundationErrors.EngineUnavailable);
        write.Headers.RetryAfter.ShouldNotBeNull();
    }

    [Fact]
    public void Trusted_proxy_networks_come_from_configuration_and_loopback_stays_trusted()
    {
        using var app = StoaApp.Build(["--Stoa:TrustedProxies=10.0.0.0/8; fd00::/8"]);
        var forwarded = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>>().Value;

        forwarded.KnownIPNetworks.ShouldContain(System.Net.IPNetwork.Parse("10.0.0.0/8"));
        forwarded.KnownIPNetworks.ShouldContain(System.Net.IPNetwork.Parse("fd00::/8"));
        forwarded.KnownIPNetworks.ShouldContain(System.Net.IPNetwork.Parse("127.0.0.0/8"));
        forwarded.ForwardLimit.ShouldBe(1);
    }

    [Fact]
    public void A_trusted_proxy_that_is_not_a_network_stops_start_up()
    {
        Should.Throw<Stoa.Foundation.Hosting.InvalidConfigurationException>(() => StoaApp.Build(["--Stoa:TrustedProxies=10.0.0.0/8,everyone"]))
            .Message.ShouldContain("Stoa:TrustedProxies: 'everyone'");
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
