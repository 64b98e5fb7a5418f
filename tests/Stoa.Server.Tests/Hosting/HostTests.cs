using System.Net;
using System.Text.Json;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.RateLimiting;
using Stoa.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Stoa.Server.Tests.Hosting;

public sealed class HostTests
{
    [Fact]
    public async Task Health_openapi_and_security_headers()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var health = await client.GetAsync("/healthz", ct);
        health.StatusCode.ShouldBe(HttpStatusCode.OK);
        health.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        health.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        health.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        health.Headers.Contains("Strict-Transport-Security").ShouldBeFalse("HSTS only behind TLS");

        var ready = await client.GetAsync("/readyz", ct);
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(ct)).RootElement;
        body.GetProperty("status").GetString().ShouldBe("ready");
        body.GetProperty("checks").GetProperty("store").GetString().ShouldBe("ok");

        var openApi = await client.GetAsync("/openapi/v1.json", ct);
        openApi.StatusCode.ShouldBe(HttpStatusCode.OK);
        JsonDocument.Parse(await openApi.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("openapi").GetString().ShouldStartWith("3.");
    }

    [Fact]
    public async Task Hsts_is_sent_when_a_trusted_proxy_says_the_client_used_https()
    {
        await using var app = await TestApp.StartAsync();
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Host = "api.example.com";
        request.Headers.Add("X-Forwarded-Proto", "https");
        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        response.Headers.GetValues("Strict-Transport-Security").Single().ShouldContain("max-age=");
    }

    [Fact]
    public void Invalid_configuration_stops_start_up_naming_the_setting()
    {
        var ex = Should.Throw<InvalidConfigurationException>(() => StoaApp.Build(["--Stoa:Redis=memcached://x", "--Stoa:Modules=chat"]));
        ex.Message.ShouldContain("Stoa:Redis:");
        ex.Message.ShouldContain("Stoa:Modules: unknown module 'chat'");
    }

    [Fact]
    public void Unparseable_numbers_in_configuration_name_the_setting()
    {
        Should.Throw<InvalidConfigurationException>(() => StoaApp.Build(["--Stoa:ShutdownDelaySeconds=soon"]))
            .Message.ShouldContain("Stoa:ShutdownDelaySeconds");
    }

    [Fact]
    public void Setting_one_field_of_a_built_in_rate_limit_policy_keeps_its_other_defaults()
    {
        using var app = StoaApp.Build(["--Stoa:RateLimits:Policies:default:capacity=1000"]);
        var policy = app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value.Policies["default"];
        (policy.Capacity, policy.TokensPerSecond).ShouldBe((1000, 20));
    }

    // Modules read their sections once at start-up: a bad value stops the host here, not on the first request.
    [Theory]
    [InlineData("Docs:PresenceHeartbeatSeconds", "0", "must be a number of seconds more than 0")]
    [InlineData("Docs:PresenceHeartbeatSeconds", "-1", "must be a number of seconds more than 0")]
    [InlineData("Docs:PresenceHeartbeatSeconds", "soon", "")]
    [InlineData("Docs:SnapshotEvery", "0", "must be between 1 and")]
    [InlineData("Docs:SocketQueueLength", "-5", "must be between 1 and")]
    [InlineData("Docs:MaxDocumentLength", "0", "must be between 1 and")]
    [InlineData("Docs:OpsPerSecond", "0", "must be more than 0")]
    [InlineData("Docs:MaxCachedBytes", "many", "")]
    [InlineData("Comments:MaxDisplayDepth", "0", "must be between 1 and 100")]
    [InlineData("Comments:PreviewTimeout", "-00:00:01", "must be between")]
    [InlineData("Comments:PageTtl", "00:00:00", "must be between")]
    [InlineData("Comments:EditWindow", "a while", "")]
    [InlineData("Previews:AllowedNetworks:0", "nonsense", "is not an address or a CIDR range")]
    [InlineData("Previews:BreakerMinimumThroughput", "1", "must be at least 2")]
    [InlineData("Previews:Timeout", "00:00:00", "must be more than 0")]
    [InlineData("Previews:MaxRedirects", "-1", "must be between 0 and 20")]
    [InlineData("Quotes:LeaseTtlSeconds", "0", "must be between 1 and 300")]
    [InlineData("RateLimits:Policies:writes:Capacity", "0", "must be at least 1")]
    [InlineData("RateLimits:Policies:reads:TokensPerSecond", "0", "must be a number more than 0")]
    [InlineData("RateLimits:Policies:reads:TokensPerSecond", "lots", "is not a setting of a policy")]
    [InlineData("RateLimits:Policies:writes:Capcity", "5", "did you mean Stoa:RateLimits:Policies:writes:Capacity?")]
    [InlineData("RateLimits:Policies:writes:PerNode", "sometimes", "is not a setting of a policy")]
    [InlineData("LogFormat", "pretty", "is not a log format; use auto")]
    [InlineData("StartupTimeoutSeconds", "-1", "must be between 0 and 600")]
    public void A_module_setting_out_of_its_range_stops_start_up_naming_it(string key, string value, string reason)
    {
        var message = Should.Throw<InvalidConfigurationException>(() => StoaApp.Build([$"--Stoa:{key}={value}"])).Message;
        message.ShouldContain($"Stoa:{key}");
        message.ShouldContain(reason);
    }

    [Fact]
    public async Task The_executable_exits_with_code_2_and_names_the_bad_setting()
    {
        var result = await StoaProcess.RunAsync(new Dictionary<string, string> { ["Stoa__Store"] = "mongodb://nope" });
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("Stoa:Store:");
    }

    [Fact]
    public async Task Shutdown_lets_in_flight_requests_finish_and_turns_readiness_false_first()
    {
        var app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Stoa:ShutdownDelaySeconds"] = "1" });
        using var client = app.CreateIndependentClient();
        var ct = TestContext.Current.CancellationToken;
        var slow = client.GetAsync("/test/slow?ms=2500", ct);
        await Task.Delay(300, ct);

        var stopping = Task.Run(() => app.DisposeAsync().AsTask(), ct);
        await Task.Delay(300, ct);

        // During the drain delay the node still serves, but tells balancers it is not ready.
        var ready = await client.GetAsync("/readyz", ct);
        ready.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await ready.Content.ReadAsStringAsync(ct)).ShouldContain("draining");

        var response = await slow;
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(ct)).ShouldBe("\"done\"");
        await stopping;
    }

    [Fact]
    public async Task Readiness_follows_postgres_going_away_and_coming_back()
    {
        await using var postgres = await Stoa.Testing.PostgresServer.StartAsync();
        await using var app = new TestApp(await postgres.CreateDatabaseAsync());
        using var client = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        (await client.GetAsync("/readyz", ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await postgres.KillAsync();
        var down = await client.GetAsync("/readyz", ct);
        down.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await down.Content.ReadAsStringAsync(ct)).ShouldContain("\"store\":\"failing\"");
        (await client.GetAsync("/healthz", ct)).StatusCode.ShouldBe(HttpStatusCode.OK, "liveness does not depend on the store");
        // A request that needs the store while it is down: retryable 503 with a code, not a 500.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/v1/probe/app"))
        {
            request.Headers.Add("X-Api-Key", "pk_not_cached_anywhere");
            await (await client.SendAsync(request, ct)).ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable, "store_unavailable");
        }


        await postgres.RestartAsync();
        // Pooled connections to the dead server fail once each; readiness recovers without a restart of the node.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpStatusCode status;
        do
        {
            status = (await client.GetAsync("/readyz", ct)).StatusCode;
        }
        while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline && await Delay(ct));

        status.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<bool> Delay(CancellationToken ct)
    {
        await Task.Delay(200, ct);
        return true;
    }

    private static string Flatten(Exception ex) =>
        ex is AggregateException agg ? string.Join("\n", agg.Flatten().InnerExceptions.Select(Flatten)) : ex.ToString();
}
