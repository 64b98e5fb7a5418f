using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Configuration;
using Stoa.Foundation.Hosting;
using Stoa.Previews.Api;
using Stoa.Previews.Core;
using Stoa.Previews.Fetching;

namespace Stoa.Previews.Inspection;

/// <summary>
/// <c>stoa previews inspect</c>, behind <see cref="PreviewsModule.InspectAsync"/>: the module's own code path (fetch
/// through the SSRF policy, charset detection from the bytes, extraction, oEmbed, manifest) with the given
/// <c>Stoa:Previews</c> settings and no cache, so that what it prints is what the API would answer.
/// </summary>
internal static class PreviewInspector
{
    // As the API writes a card, byte for byte: ASP.NET Core's HTTP JSON options (the web defaults, nulls written, the
    // relaxed encoder) with the context only as a resolver; the context used on its own would omit nulls.
    private static readonly JsonSerializerOptions s_apiJson = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = PreviewsJsonContext.Default,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<int> RunAsync(IConfiguration configuration, string url, byte[]? savedPage, string? headerCharset,
        bool offline, bool json, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        PreviewOptions options;
        try
        {
            options = PreviewsModule.ReadOptions(configuration.GetSection(PreviewsModule.Section));
        }
        catch (InvalidConfigurationException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return 2;
        }

        // Only the scheme is checked here: a saved page's URL is its base and is never fetched, and a fetched one meets
        // the SSRF policy in the fetcher, whose refusal is printed with its code below.
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            await error.WriteLineAsync($"stoa previews inspect: '{url}' is not an absolute http or https URL");
            return 2;
        }

        using var service = new PreviewService(options);
        PreviewInspection inspection;
        try
        {
            inspection = await service.InspectAsync(uri, savedPage, headerCharset, offline, cancellationToken);
        }
        catch (PreviewException ex)
        {
            var status = ex.UpstreamStatus is { } code ? $" (upstream status {code})" : string.Empty;
            await error.WriteLineAsync($"stoa previews inspect: {ex.Code}: {ex.Message}{status}");
            return 2;
        }

        await output.WriteAsync(json
            ? JsonSerializer.Serialize(inspection.Card, (JsonTypeInfo<LinkCard>)s_apiJson.GetTypeInfo(typeof(LinkCard))) + Environment.NewLine
            : InspectionReport.Format(inspection));
        return 0;
    }
}
