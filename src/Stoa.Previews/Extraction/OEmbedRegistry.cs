using System.Text;
using System.Text.Json;

namespace Stoa.Previews.Extraction;

/// <summary>
/// The oEmbed providers Stoa knows without a discovery link: the bundled copy of the public registry
/// (<c>Extraction/OEmbed/providers.json</c>, refreshed by <c>scripts/refresh-oembed-providers</c>) plus
/// <c>providers.local.json</c>. A URL matches an endpoint when one of its schemes does (<see cref="OEmbedScheme"/>; http
/// and https are the same). Lookups are indexed by host.
/// </summary>
internal sealed class OEmbedRegistry
{
    private readonly Dictionary<string, List<(OEmbedScheme Scheme, Endpoint Endpoint)>> _byHost = new(StringComparer.OrdinalIgnoreCase);

    private OEmbedRegistry(IEnumerable<Endpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            foreach (var scheme in endpoint.Schemes)
            {
                if (OEmbedScheme.Parse(scheme) is { } compiled)
                {
                    if (!_byHost.TryGetValue(compiled.HostKey, out var list))
                    {
                        _byHost[compiled.HostKey] = list = [];
                    }

                    list.Add((compiled, endpoint));
                }
            }
        }
    }

    /// <summary>The bundled registry (loaded once).</summary>
    public static OEmbedRegistry Bundled { get; } = Load(["Stoa.Previews.OEmbed.providers.json", "Stoa.Previews.OEmbed.providers.local.json"]);

    public int SchemeCount => _byHost.Values.Sum(l => l.Count);

    /// <summary>The JSON endpoint URL to ask about <paramref name="page"/>, with the provider's name; null when no provider claims it.</summary>
    public (Uri Url, string Provider)? Find(Uri page)
    {
        if (page.Scheme != Uri.UriSchemeHttp && page.Scheme != Uri.UriSchemeHttps)
        {
            return null;
        }

        var host = page.IdnHost.ToLowerInvariant();
        var target = page.AbsoluteUri;
        var withoutScheme = target[(target.IndexOf("://", StringComparison.Ordinal) + 3)..];
        for (var key = host; key.Length > 0;)
        {
            if (_byHost.TryGetValue(key, out var candidates))
            {
                foreach (var (scheme, endpoint) in candidates)
                {
                    if (scheme.Matches(withoutScheme) && endpoint.RequestFor(page) is { } url)
                    {
                        return (url, endpoint.Provider);
                    }
                }
            }

            var dot = key.IndexOf('.');
            key = dot < 0 ? string.Empty : key[(dot + 1)..];
        }

        return null;
    }

    internal static OEmbedRegistry Parse(params string[] documents) => new(documents.SelectMany(ReadEndpoints));

    private static OEmbedRegistry Load(string[] resources)
    {
        var assembly = typeof(OEmbedRegistry).Assembly;
        var documents = new List<string>();
        foreach (var name in resources)
        {
            using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Missing resource {name}.");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            documents.Add(reader.ReadToEnd());
        }

        return Parse([.. documents]);
    }

    private static IEnumerable<Endpoint> ReadEndpoints(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var endpoints = new List<Endpoint>();
        foreach (var provider in document.RootElement.EnumerateArray())
        {
            var name = provider.TryGetProperty("provider_name", out var n) ? n.GetString() ?? "?" : "?";
            if (!provider.TryGetProperty("endpoints", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            foreach (var endpoint in list.EnumerateArray())
            {
                var url = endpoint.TryGetProperty("url", out var u) ? u.GetString() : null;
                if (url is null || !endpoint.TryGetProperty("schemes", out var schemes) || schemes.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                // An endpoint serving XML only is of no use to a JSON reader.
                if (endpoint.TryGetProperty("formats", out var formats) && formats.ValueKind == JsonValueKind.Array
                    && formats.GetArrayLength() > 0 && !formats.EnumerateArray().Any(f => f.GetString() == "json"))
                {
                    continue;
                }

                endpoints.Add(new Endpoint(name, url, [.. schemes.EnumerateArray().Select(s => s.GetString()).OfType<string>()]));
            }
        }

        return endpoints;
    }

    private sealed record Endpoint(string Provider, string Url, string[] Schemes)
    {
        /// <summary>The request for <paramref name="page"/>: the endpoint with url= and format=json (or its {format} filled in).</summary>
        public Uri? RequestFor(Uri page)
        {
            if (Url.Contains('*', StringComparison.Ordinal))
            {
                return null;
            }

            var endpoint = Url.Replace("{format}", "json", StringComparison.Ordinal);
            var query = "url=" + Uri.EscapeDataString(page.AbsoluteUri);
            if (!Url.Contains("{format}", StringComparison.Ordinal) && !endpoint.Contains("format=", StringComparison.Ordinal))
            {
                query += "&format=json";
            }

            return Uri.TryCreate(endpoint + (endpoint.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query, UriKind.Absolute, out var url) ? url : null;
        }
    }
}
