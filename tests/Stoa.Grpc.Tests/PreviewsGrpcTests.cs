using Grpc.Core;
using Stoa.Grpc.V1;
using Stoa.Testing;

namespace Stoa.Grpc.Tests;

/// <summary><c>stoa.v1.Previews</c>: the REST API's cards, cache and per-URL errors.</summary>
public sealed class PreviewsGrpcTests(PageServer pages)
{
    [Fact]
    public async Task A_card_is_fetched_once_and_then_served_from_the_cache()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite(), pages.PreviewSettings());
        var tenant = await node.CreateTenantAsync();
        var previews = new V1.Previews.PreviewsClient(node.Channel());
        var ct = TestContext.Current.CancellationToken;
        var path = $"/cards/one-{Guid.NewGuid():N}";

        var card = await previews.GetPreviewAsync(new GetPreviewRequest { Url = pages.Url(path) }, GrpcNode.Key(tenant), cancellationToken: ct);
        card.Url.ShouldBe(pages.Url(path));
        card.Title.ShouldStartWith("Card one-");
        card.Description.ShouldStartWith("About one-");
        card.SiteName.ShouldBe("Pages");
        card.Images.ShouldHaveSingleItem().Url.ShouldEndWith(".png");
        card.HasAuthor.ShouldBeFalse();

        await previews.GetPreviewAsync(new GetPreviewRequest { Url = pages.Url(path) }, GrpcNode.Key(tenant), cancellationToken: ct);
        pages.Hits(path).ShouldBe(1);
    }

    [Fact]
    public async Task A_batch_answers_each_url_with_its_card_or_its_own_error()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite(), pages.PreviewSettings());
        var tenant = await node.CreateTenantAsync();
        var previews = new V1.Previews.PreviewsClient(node.Channel());
        var ct = TestContext.Current.CancellationToken;

        var response = await previews.BatchPreviewsAsync(new BatchPreviewsRequest
        {
            Urls = { pages.Url("/cards/batch"), pages.Url("/missing"), "http://10.0.0.1/", "no url" },
        }, GrpcNode.Key(tenant), cancellationToken: ct);

        response.Items.Select(i => i.Url).ShouldBe([pages.Url("/cards/batch"), pages.Url("/missing"), "http://10.0.0.1/", "no url"]);
        response.Items[0].Card.Title.ShouldBe("Card batch");
        response.Items[1].Error.ShouldSatisfyAllConditions(e => e.Code.ShouldBe("upstream_status"), e => e.Status.ShouldBe(502));
        response.Items[2].Error.ShouldSatisfyAllConditions(e => e.Code.ShouldBe("url_not_allowed"), e => e.Status.ShouldBe(422));
        response.Items[3].Error.Code.ShouldBe("invalid_url");
    }

    [Fact]
    public async Task A_batch_is_charged_one_preview_per_url()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite(), new Dictionary<string, string?>(pages.PreviewSettings())
        {
            ["Stoa:RateLimits:Enabled"] = "true",
            ["Stoa:RateLimits:Policies:previews:Capacity"] = "5",
            ["Stoa:RateLimits:Policies:previews:TokensPerSecond"] = "0.01",
        });
        var tenant = await node.CreateTenantAsync();
        var previews = new V1.Previews.PreviewsClient(node.Channel());
        var ct = TestContext.Current.CancellationToken;
        var request = new BatchPreviewsRequest { Urls = { "http://10.0.0.1/a", "http://10.0.0.1/b", "http://10.0.0.1/c" } };

        (await previews.BatchPreviewsAsync(request, GrpcNode.Key(tenant), cancellationToken: ct)).Items.Count.ShouldBe(3);
        (await Refusals.OfAsync(() => previews.BatchPreviewsAsync(request, GrpcNode.Key(tenant), cancellationToken: ct).ResponseAsync))
            .ShouldBe((StatusCode.ResourceExhausted, "rate_limited"));
    }
}
