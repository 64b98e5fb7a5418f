using System.Diagnostics.CodeAnalysis;

namespace Stoa.Foundation.Auth;

/// <summary>
/// The web origins whose pages may call Stoa with an app's key: browsers send <c>Origin</c> with every cross-origin
/// request and WebSocket handshake, and a request from an origin the app does not list is refused. An entry is an
/// origin (<c>https://app.example.com</c>, <c>http://localhost:5173</c>), an origin with any port
/// (<c>http://localhost:*</c>, for development servers that pick their port), or <c>*</c> (any page on the web may
/// use the key). Entries are kept normalised as browsers write origins: lower case, IDN hosts in punycode, no default
/// port, no path. Requests without <c>Origin</c> (servers, curl, mobile apps) are not concerned.
/// </summary>
public sealed class AppOrigins
{
    public const int MaxEntries = 100;

    /// <summary>Entries <see cref="TryCreate"/> accepts, as the OpenAPI document states them (a subset: ports below 10000).</summary>
    public const string Pattern = @"^(\*|https?://[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*(:[1-9][0-9]{0,3}|:\*)?/?)$";
    public const string Any = "*";


    private readonly HashSet<string> _exact = new(StringComparer.Ordinal);
    private readonly HashSet<string> _anyPort = new(StringComparer.Ordinal);
    private readonly bool _any;

    private AppOrigins(IReadOnlyList<string> entries)
    {
        Entries = entries;
        foreach (var entry in entries)
        {
            if (entry == Any)
            {
                _any = true;
            }
            else if (entry.EndsWith(":*", StringComparison.Ordinal))
            {
                _anyPort.Add(entry[..^2]);
            }
            else
            {
                _exact.Add(entry);
            }
        }
    }

    public static AppOrigins None { get; } = new([]);

    /// <summary>What the development app allows: any port on the loopback names, over http and https.</summary>
    public static AppOrigins Loopback { get; } = new(
    [
        "http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*", "https://localhost:*", "https://127.0.0.1:*", "https://[::1]:*",
    ]);

    /// <summary>The normalised entries, in the order they were given.</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>The entries as stored in the apps table: separated by spaces, which no origin contains.</summary>
    public string Stored => string.Join(' ', Entries);

    /// <summary>Reads the stored column; entries were checked when they were set.</summary>
    public static AppOrigins FromStored(string? stored) =>
        string.IsNullOrWhiteSpace(stored) ? None : new([.. stored.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

    /// <summary>Checks and normalises entries as a client or an operator gave them; one message per bad entry.</summary>
    public static bool TryCreate(IEnumerable<string?> entries, [NotNullWhen(true)] out AppOrigins? origins, out IReadOnlyList<string> problems)
    {
        var given = entries.Take(MaxEntries + 1).ToList();
        var normalised = new List<string>();
        var errors = new List<string>();
        if (given.Count > MaxEntries)
        {
            // One message, not one per entry of a list that is refused anyway.
            problems = [$"at most {MaxEntries} origins; use a pattern such as https://app.example.com:* or * instead of listing more"];
            origins = null;
            return false;
        }

        foreach (var entry in given)
        {
            if (TryNormalise(entry, out var origin, out var problem))
            {
                if (!normalised.Contains(origin, StringComparer.Ordinal))
                {
                    normalised.Add(origin);
                }
            }
            else
            {
                errors.Add(problem);
            }
        }

        problems = errors;
        origins = errors.Count == 0 ? new AppOrigins(normalised) : null;
        return origins is not null;
    }

    /// <summary>Whether a page of <paramref name="origin"/> (the request's <c>Origin</c> header) may use the app's key.</summary>
    public bool Allows(string origin)
    {
        if (_any)
        {
            return true;
        }

        // "null" (a sandboxed frame, a file:// page) has no host to list: only * admits it.
        if (!TryNormalise(origin, out var normalised, out _) || normalised.EndsWith(":*", StringComparison.Ordinal))
        {
            return false;
        }

        if (_exact.Contains(normalised))
        {
            return true;
        }

        var uri = new Uri(normalised);
        return _anyPort.Contains($"{uri.Scheme}://{HostOf(uri)}");
    }

    private static bool TryNormalise(string? entry, [NotNullWhen(true)] out string? origin, [NotNullWhen(false)] out string? problem)
    {
        origin = null;
        entry = entry?.Trim();
        if (string.IsNullOrEmpty(entry))
        {
            problem = "an origin may not be empty";
            return false;
        }

        if (entry == Any)
        {
            origin = Any;
            problem = null;
            return true;
        }

        // Origins copied from an address bar end with a slash; that is still the origin.
        var anyPort = entry.EndsWith(":*", StringComparison.Ordinal) || entry.EndsWith(":*/", StringComparison.Ordinal);
        var parseable = anyPort ? entry[..entry.LastIndexOf(":*", StringComparison.Ordinal)] : entry.TrimEnd('/');
        if (entry.Length > 300 || !Uri.TryCreate(parseable, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0
            || parseable.EndsWith(':') || string.IsNullOrEmpty(uri.Host) || (anyPort && !uri.IsDefaultPort))
        {
            problem = $"'{(entry.Length <= 80 ? entry : entry[..80] + "…")}' is not an origin: write scheme://host or scheme://host:port (no path), scheme://host:* for any port, or *";
            return false;
        }

        var port = anyPort ? ":*" : uri.IsDefaultPort ? "" : $":{uri.Port}";
        origin = $"{uri.Scheme}://{HostOf(uri)}{port}";
        problem = null;
        return true;
    }

    private static string HostOf(Uri uri) => uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost.Trim('[', ']')}]" : uri.IdnHost;
}
