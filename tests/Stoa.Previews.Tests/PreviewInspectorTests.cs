using System.Text;
using Microsoft.Extensions.Configuration;
using Stoa.Previews.Core;
using Stoa.Previews.Fetching;
using Stoa.Previews.Inspection;
using Stoa.Testing;

namespace Stoa.Previews.Tests;

/// <summary>What <c>stoa previews inspect</c> prints: the card the API answers, and the page's own words without anything that drives the terminal.</summary>
public sealed class PreviewInspectorTests(FixtureServer fixtures)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Json_is_the_card_the_api_answers_for_the_same_page()
    {
        var url = fixtures.BaseUrl + "/pages/oembed-video?inspect=" + Guid.NewGuid().ToString("N");
        await using var app = fixtures.CreateApp();
        using var client = (await app.CreateTenantAsync()).App();
        var api = await client.GetStringAsync($"/v1/previews?url={Uri.EscapeDataString(url)}", Ct);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Stoa:Previews:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Stoa:Previews:AllowedPorts:0"] = fixtures.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await PreviewsModule.InspectAsync(configuration, url, savedPage: null, headerCharset: null, offline: false, json: true, output, error, Ct);

        exit.ShouldBe(0, error.ToString());
        output.ToString().TrimEnd().ShouldBe(api);
    }

    [Fact]
    public async Task Escape_sequences_and_bidi_overrides_in_a_page_do_not_reach_the_terminal()
    {
        const string Html = "<html><head><title>Plain title</title>"
            + "<meta property=\"og:title\" content=\"Red\u001b[31m title\u001b]0;owned\u0007\">"
            + "<meta name=\"description\" content=\"abc\u202Edcba\"></head><body></body></html>";
        using var service = new PreviewService(new PreviewOptions());
        var inspection = await service.InspectAsync(new Uri("https://site.example/post"), Encoding.UTF8.GetBytes(Html), "utf-8", offline: true, Ct);

        // The raw candidate is what the report shows, so the page's control characters do reach it.
        inspection.Fields.Single(f => f.Field == "title").Candidates.ShouldContain(c => c.Value.Contains('\u001b'));
        var report = InspectionReport.Format(inspection);

        report.ShouldContain("og:title");
        report.ShouldContain("Red\uFFFD[31m title");
        report.ShouldNotContain("\u001b");
        report.ShouldNotContain("\u0007");
        report.ShouldNotContain("\u202E");
    }
}
