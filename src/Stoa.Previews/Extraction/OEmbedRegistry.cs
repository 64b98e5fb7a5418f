using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Stoa.Previews.Extraction;

/// <summary>
/// The oEmbed providers Stoa knows without a discovery link: the bundled copy of the public registry
/// (<c>Extraction/OEmbed/providers.json</c>, refreshed by <c>scripts/refresh-oembed-providers</c>) plus
/// <c>providers.local.json</c>. A URL matches an endpoint when one of its schemes does (<c>*</c> is any text; a leading
/// <c>*.</c> in a host is any subdomain or none; http and https are the same). Lookups are indexed by host.
/// </summary>
internal sealed class OEmbedRegistry
{
    private readonly Dictionary<string, List<(Regex Scheme, Endpoint Endpoint)>> _byHost = new(StringComparer.OrdinalIgnoreCase);

    private OEmbedRegistry(IEnumerable<Endpoint> endpoints)
    {
        foreach (var endpoint in endpoints)
        {
            foreach (var scheme in endpoint.Schemes)
            {
                if (Compile(scheme) is { } compiled)
                {
                    if (!_byHost.TryGetValue(compiled.HostKey, out var list))
                    {
                        _byHost[compiled.HostKey] = list = [];
                    }

                    list.Add((compiled.Regex, endpoint));
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
                    if (scheme.IsMatch(withoutScheme) && endpoint.RequestFor(page) is { } url)
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

    /// <summary>A scheme as a regex over "host/path?query", and the literal host suffix it is indexed under.</summary>
    private static (Regex Regex, string HostKey)? Compile(string scheme)
    {
        var separator = scheme.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
        {
            return null;
        }

        var rest = scheme[(separator + 3)..];
        var slash = rest.IndexOf('/');
        var host = (slash < 0 ? rest : rest[..slash]).ToLowerInvariant();
        var path = slash < 0 ? "/*" : rest[slash..];

        // "*.example.com" is example.com or any subdomain; a wildcard inside a host stays within the host.
        var hostKey = host;
        var hostPattern = new StringBuilder();
        while (hostKey.StartsWith("*.", StringComparison.Ordinal))
        {
            hostKey = hostKey[2..];
            hostPattern.Append(@"(?:[^/.]+\.)?");
        }

        if (hostKey.Contains('*', StringComparison.Ordinal))
        {
            var last = hostKey.LastIndexOf('*');
            hostPattern.Append(Glob(hostKey, "[^/.]*"));
            hostKey = hostKey[(last + 1)..].TrimStart('.');
        }
        else
        {
            hostPattern.Append(Regex.Escape(hostKey));
        }

        // A port stays in the pattern ("host:8080/…" is what the URL shows) but not in the index key.
        var colon = hostKey.LastIndexOf(':');
        if (colon >= 0)
        {
            hostKey = hostKey[..colon];
        }

        if (hostKey.Length == 0)
        {
            return null;
        }

        var pattern = "^" + hostPattern + Glob(path, ".*") + "$";
        return (new Regex(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50)), hostKey);
    }

    private static string Glob(string text, string wildcard) => string.Join(wildcard, text.Split('*').Select(Regex.Escape));

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
