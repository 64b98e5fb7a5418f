namespace Stoa.Previews.Extraction;

/// <summary>
/// One URL scheme of the oEmbed provider registry (<c>https://*.youtube.com/watch*</c>), matched against a URL's
/// "host[:port]/path?query" without a regex. In the host a leading <c>*.</c> is one subdomain label or none, and a
/// <c>*</c> inside a label is any text within that label; in the path <c>*</c> is any text. Letters match in any case.
/// </summary>
/// <remarks>
/// A path glob is matched by finding its literal pieces in order, each at its first place: linear in the URL for any
/// number of wildcards. A regex engine either backtracks, polynomially in the URL for the registry's six-wildcard
/// schemes (a crafted 4 KB URL runs into any timeout, and the timeout is an exception), or, without backtracking,
/// costs 2.6 ms and 1.1 MB to build per scheme: two seconds for the registry.
/// </remarks>
internal sealed class OEmbedScheme
{
    private readonly int _optionalLabels;
    private readonly string[][] _hostLabels;
    private readonly string[] _pathPieces;

    private OEmbedScheme(int optionalLabels, string[][] hostLabels, string[] pathPieces, string hostKey)
    {
        _optionalLabels = optionalLabels;
        _hostLabels = hostLabels;
        _pathPieces = pathPieces;
        HostKey = hostKey;
    }

    /// <summary>The literal host suffix the registry indexes the scheme under, without a port.</summary>
    public string HostKey { get; }

    /// <summary>The scheme, or null when it is no http(s)-style URL pattern (<c>spotify:*</c>) or has no literal host part.</summary>
    public static OEmbedScheme? Parse(string scheme)
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

        var optional = 0;
        while (host.StartsWith("*.", StringComparison.Ordinal))
        {
            host = host[2..];
            optional++;
        }

        // Indexed under what follows the last wildcard in the host, so a lookup walks the URL's host suffixes to it.
        var hostKey = host[(host.LastIndexOf('*') + 1)..].TrimStart('.');
        var colon = hostKey.LastIndexOf(':');
        if (colon >= 0)
        {
            hostKey = hostKey[..colon];
        }

        return hostKey.Length == 0 ? null : new OEmbedScheme(optional, [.. host.Split('.').Select(label => label.Split('*'))], path.Split('*'), hostKey);
    }

    /// <param name="withoutScheme">A URL without its scheme and "://": "host[:port]/path?query".</param>
    public bool Matches(string withoutScheme)
    {
        var slash = withoutScheme.IndexOf('/');
        if (slash < 0)
        {
            return false;
        }

        return HostMatches(withoutScheme.AsSpan(0, slash)) && Glob(withoutScheme.AsSpan(slash), _pathPieces);
    }

    private bool HostMatches(ReadOnlySpan<char> host)
    {
        // The pattern's labels match the host's last ones; the host may have up to _optionalLabels more in front.
        var labels = host.Count('.') + 1;
        var extra = labels - _hostLabels.Length;
        if (extra < 0 || extra > _optionalLabels)
        {
            return false;
        }

        var index = 0;
        foreach (var range in host.Split('.'))
        {
            var label = host[range];
            if (label.IsEmpty || (index >= extra && !Glob(label, _hostLabels[index - extra])))
            {
                return false;
            }

            index++;
        }

        return true;
    }

    /// <summary>Whether <paramref name="text"/> is the pieces with any text between them (the pieces of a split on '*').</summary>
    private static bool Glob(ReadOnlySpan<char> text, string[] pieces)
    {
        var first = pieces[0];
        if (pieces.Length == 1)
        {
            return text.Equals(first, StringComparison.OrdinalIgnoreCase);
        }

        var last = pieces[^1];
        if (text.Length < first.Length + last.Length
            || !text.StartsWith(first, StringComparison.OrdinalIgnoreCase)
            || !text.EndsWith(last, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        // Between the first and the last piece, each middle piece at its first place after the one before: if the
        // pieces fit in some places, they fit in these.
        var middle = text[first.Length..^last.Length];
        for (var i = 1; i < pieces.Length - 1; i++)
        {
            var at = middle.IndexOf(pieces[i], StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return false;
            }

            middle = middle[(at + pieces[i].Length)..];
        }

        return true;
    }
}
