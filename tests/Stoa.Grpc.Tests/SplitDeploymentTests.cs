using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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
