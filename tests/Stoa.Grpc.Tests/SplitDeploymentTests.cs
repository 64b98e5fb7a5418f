using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Testing;

namespace Stoa.Grpc.Tests;

/// <summary>
/// Comments and previews on different nodes (<c>Stoa:Modules</c>, docs/operations.md): the comments node unfurls a
/// comment's links by calling the previews node over gRPC (<c>Stoa:Previews:GrpcUrl</c>), as the app it serves.
/// </summary>
public sealed class SplitDeploymentTests(PageServer pages)
{
    [Fact]
    public async Task A_comments_only_node_gets_link_cards_from_a_previews_node_over_grpc()
    {
        var store = await TestStores.CreateAsync("postgres");
        var shared = new Dictionary<string, string?>(pages.PreviewSettings()) { ["Stoa:Redis"] = await TestEngines.UrlAsync(TestEngines.Redis) };
        await using var previewsNode = new GrpcNode(store, new Dictionary<string, string?>(shared) { ["Stoa:Modules"] = "previews" });
        await using var commentsNode = new StoaAppFactory<Program>(store, new Dictionary<string, string?>(shared)
        {
            ["Stoa:Modules"] = "comments,follows",
            ["Stoa:Previews:GrpcUrl"] = previewsNode.GrpcAddress.ToString(),
        });
        var tenant = await commentsNode.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var ct = TestContext.Current.CancellationToken;
        var path = $"/cards/split-{Guid.NewGuid():N}";

        var response = await alice.PostAsJsonAsync("/v1/threads/split/comments", new { body = $"See {pages.Url(path)} and http://10.0.0.1/private" }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var link = JsonDocument.Parse(text).RootElement.GetProperty("links").EnumerateArray().ShouldHaveSingleItem();
        link.GetProperty("title").GetString().ShouldStartWith("Card split-");
        link.GetProperty("siteName").GetString().ShouldBe("Pages");
        pages.Hits(path).ShouldBe(1);

        // The previews node cached the card under the app's id: its own REST API answers from the cache.
        using var app = new TestTenant(tenant.ApiKey, tenant.Secret, previewsNode.CreateClient).App();
        var card = await app.GetFromJsonAsync<JsonElement>("/v1/previews?url=" + Uri.EscapeDataString(pages.Url(path)), ct);
        card.GetProperty("title").GetString().ShouldStartWith("Card split-");
        pages.Hits(path).ShouldBe(1);
    }

    [Fact]
    public async Task Calls_are_spread_over_every_previews_node_listed()
    {
        var (store, shared) = await SettingsAsync();
        var calls = new int[2];
        await using var first = PreviewsNode(store, shared, () => Interlocked.Increment(ref calls[0]));
        await using var second = PreviewsNode(store, shared, () => Interlocked.Increment(ref calls[1]));
        await using var commentsNode = CommentsNode(store, shared, $"{first.GrpcAddress}; {second.GrpcAddress}");
        using var alice = (await commentsNode.CreateTenantAsync()).User("alice");

        // Round robin over the connections that are up: once both are, consecutive comments alternate.
        for (var i = 0; i < 40 && (calls[0] == 0 || calls[1] == 0); i++)
        {
            await PostWithOneCardAsync(alice, $"spread{i}");
        }

        calls[0].ShouldBeGreaterThan(0, "the first previews node got no call");
        calls[1].ShouldBeGreaterThan(0, "the second previews node got no call");
    }

    [Fact]
    public async Task A_dns_name_reaches_the_previews_nodes_it_resolves_to()
    {
        var (store, shared) = await SettingsAsync();
        var calls = 0;
        await using var previewsNode = PreviewsNode(store, shared, () => Interlocked.Increment(ref calls));
        // localhost resolves to 127.0.0.1, where the node listens (and to ::1, where it may not: that address is skipped).
        await using var commentsNode = CommentsNode(store, shared, $"dns:///localhost:{previewsNode.GrpcAddress.Port}");
        using var alice = (await commentsNode.CreateTenantAsync()).User("alice");

        await PostWithOneCardAsync(alice, "dns");
        calls.ShouldBe(1);
    }

    private async Task<(string Store, Dictionary<string, string?> Shared)> SettingsAsync() =>
        (await TestStores.CreateAsync("postgres"),
         new Dictionary<string, string?>(pages.PreviewSettings()) { ["Stoa:Redis"] = await TestEngines.UrlAsync(TestEngines.Redis) });

    private static StoaAppFactory<Program> CommentsNode(string store, Dictionary<string, string?> shared, string grpcUrl) =>
        new(store, new Dictionary<string, string?>(shared) { ["Stoa:Modules"] = "comments", ["Stoa:Previews:GrpcUrl"] = grpcUrl });

    /// <summary>Posts a comment with one link to a card page and checks that the comment came back with its card.</summary>
    private async Task PostWithOneCardAsync(HttpClient user, string name)
    {
        var ct = TestContext.Current.CancellationToken;
        var response = await user.PostAsJsonAsync("/v1/threads/split/comments", new { body = $"See {pages.Url($"/cards/{name}-{Guid.NewGuid():N}")}" }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        JsonDocument.Parse(text).RootElement.GetProperty("links").EnumerateArray().ShouldHaveSingleItem()
            .GetProperty("title").GetString().ShouldStartWith($"Card {name}-");
    }

    [Theory]
    [InlineData("http://a:9090; https://b:9090", "all of one scheme")]
    [InlineData("dns:///", "dns:///host:port")]
    [InlineData("dns:///a:9090;dns:///b:9090", "dns:///host:port")]
    [InlineData("http://a:9090/previews", "http(s)://")]
    [InlineData("ftp://a:9090", "http(s)://")]
    public void A_grpc_url_that_is_neither_urls_of_one_scheme_nor_one_dns_name_is_a_setting_error(string value, string hint)
    {
        // What the host reads at start-up, before it listens; the exception stops it with the setting named.
        var error = Should.Throw<Stoa.Foundation.Hosting.InvalidConfigurationException>(() => Stoa.Previews.PreviewsModule.GrpcUrls(Settings(value)));
        error.Message.ShouldContain("Stoa:Previews:GrpcUrl: ");
        error.Message.ShouldContain(hint);
    }

    [Theory]
    [InlineData("http://a:9090")]
    [InlineData("http://a:9090;http://b:9090")]
    [InlineData("https://a:9090; https://b:9090; https://c:9090")]
    [InlineData("dns:///stoa-previews.default.svc.cluster.local:9090")]
    public void Urls_of_one_scheme_or_one_dns_name_are_accepted(string value) =>
        Stoa.Previews.PreviewsModule.GrpcUrls(Settings(value)).Count.ShouldBe(value.Split(';').Length);

    private static IConfiguration Settings(string grpcUrl) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Stoa:Previews:GrpcUrl"] = grpcUrl })
            .Build();

    /// <summary>A node running previews only, counting the gRPC calls it receives for previews.</summary>
    private static GrpcNode PreviewsNode(string store, Dictionary<string, string?> shared, Action onCall) =>
        new(store, new Dictionary<string, string?>(shared) { ["Stoa:Modules"] = "previews" })
        {
            TestServices = services => services.AddSingleton<IStartupFilter>(new CountingFilter(onCall)),
        };

    private sealed class CountingFilter(Action onCall) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, call) =>
            {
                if (context.Request.Path.StartsWithSegments("/stoa.v1.Previews", StringComparison.Ordinal))
                {
                    onCall();
                }

                await call(context);
            });
            next(app);
        };
    }

    [Fact]
    public async Task Without_a_previews_node_a_comment_is_still_created_without_cards()
    {
        var store = await TestStores.CreateAsync("postgres");
        await using var commentsNode = new StoaAppFactory<Program>(store, new Dictionary<string, string?>(pages.PreviewSettings())
        {
            ["Stoa:Redis"] = await TestEngines.UrlAsync(TestEngines.Redis),
            ["Stoa:Modules"] = "comments",
            // Nothing listens there: the call fails fast and the comment goes on without cards.
            ["Stoa:Previews:GrpcUrl"] = $"http://127.0.0.1:{TestPorts.GetFree()}",
        });
        var tenant = await commentsNode.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var ct = TestContext.Current.CancellationToken;

        var response = await alice.PostAsJsonAsync("/v1/threads/split/comments", new { body = $"See {pages.Url("/cards/gone")}" }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var links = JsonDocument.Parse(text).RootElement.GetProperty("links");
        (links.ValueKind == JsonValueKind.Null || links.GetArrayLength() == 0).ShouldBeTrue(text);
    }
}
