using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Stoa.Testing;

namespace Stoa.Previews.Tests;

/// <summary>The composition root plugs previews into the comments module's link-card port.</summary>
public sealed class CommentLinkCardTests(FixtureServer fixtures)
{
    [Fact]
    public async Task A_url_in_a_comment_body_gets_its_link_card_and_a_failing_one_does_not_fail_the_comment()
    {
        await using var app = new StoaAppFactory<Program>(TestStores.CreateSqlite(), new Dictionary<string, string?>
        {
            ["Stoa:Previews:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Stoa:Previews:AllowedPorts:0"] = fixtures.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var alice = (await app.CreateTenantAsync()).User("alice");
        var ct = TestContext.Current.CancellationToken;
        var body = $"Look at {fixtures.BaseUrl}/pages/og-only and http://10.0.0.1/private";

        var response = await alice.PostAsJsonAsync("/v1/threads/cards/comments", new { body }, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text);
        var links = JsonDocument.Parse(text).RootElement.GetProperty("links").EnumerateArray().ToList();
        links.ShouldHaveSingleItem().GetProperty("title").GetString().ShouldBe("Open Graph Title");
    }
}
