using System.Globalization;
using System.Net.Security;
using Stoa.Redis.Protocol;

namespace Stoa.Redis;

/// <summary>
/// Where and how to connect. Build one with <see cref="Parse"/> from a URL
/// (<c>redis://[user[:password]@]host[:port][/db][?name=…&amp;timeout=…&amp;connect_timeout=…]</c>,
/// <c>rediss://</c> for TLS; <c>redis://host:port,host:port?cluster=true</c> for a Redis Cluster given by seed
/// addresses) and adjust properties as needed. Values are read when a client connects.
/// </summary>
public sealed class RedisOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 6379;

    /// <summary>Redis Cluster mode: <see cref="Host"/>:<see cref="Port"/> and <see cref="Seeds"/> are only where the
    /// cluster map is first asked for (<c>CLUSTER SHARDS</c>); commands go to the primary that owns their keys'
    /// slot, over one multiplexed connection per primary. Set by <c>?cluster=true</c>.</summary>
    public bool Cluster { get; set; }

    /// <summary>More cluster seed addresses, tried after <see cref="Host"/>:<see cref="Port"/> (the URL's other
    /// comma-separated hosts).</summary>
    public IReadOnlyList<RedisEndpoint> Seeds { get; set; } = [];

    /// <summary>How often a cluster client asks for the cluster map when nothing prompted it (redirects and lost
    /// connections prompt a refresh at once).</summary>
    public TimeSpan ClusterRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many <c>MOVED</c>/<c>ASK</c>/<c>TRYAGAIN</c> redirects one cluster command follows before its
    /// error reply is handed to the caller.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>TLS via <see cref="SslStream"/> (the <c>rediss://</c> scheme).</summary>
    public bool UseTls { get; set; }

    /// <summary>ACL user name for <c>HELLO 3 AUTH</c>; <c>default</c> when only a password is given.</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>Database selected after connecting (<c>SELECT</c>), 0 by default.</summary>
    public int Database { get; set; }

    /// <summary>Sent with <c>HELLO … SETNAME</c> so <c>CLIENT LIST</c> shows who is who.</summary>
    public string? ClientName { get; set; }

    /// <summary>Deadline for TCP connect, TLS and the handshake of one connection attempt.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Default deadline of a command, counted from the call: time spent waiting for a reconnect counts too. A command
    /// still unsent at its deadline because the connection is down fails with <see cref="RedisConnectionException"/>;
    /// one sent but unanswered fails with <see cref="RedisTimeoutException"/>. <see cref="Timeout.InfiniteTimeSpan"/>
    /// disables it (the caller's token still applies).
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After this long without any byte from the server a PING is sent; if that PING is not answered within
    /// the same interval the connection is considered dead and closed (which signals a flush to tracking caches).</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>First reconnect delay; doubles per failed attempt up to <see cref="ReconnectMaxDelay"/>, with jitter.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Host name checked against the server certificate; <see cref="Host"/> when null.</summary>
    public string? TlsHost { get; set; }

    /// <summary>Custom certificate check (self-signed servers in tests); the platform's default when null.</summary>
    public RemoteCertificateValidationCallback? CertificateValidation { get; set; }

    /// <summary>Parser caps; see <see cref="RespLimits.Default"/>.</summary>
    public RespLimits Limits { get; set; } = RespLimits.Default;

    /// <summary>Parses a <c>redis://</c> or <c>rediss://</c> URL. User and password are percent-decoded. Several
    /// comma-separated <c>host:port</c> are cluster seeds and need <c>cluster=true</c>. Query keys: <c>name</c>
    /// (client name), <c>db</c>, <c>timeout</c> and <c>connect_timeout</c> (milliseconds), <c>cluster</c>
    /// (<c>true</c>/<c>false</c>).</summary>
    /// <exception cref="FormatException">The URL is malformed or uses another scheme.</exception>
    public static RedisOptions Parse(string url)
    {
        ArgumentNullException.ThrowIfNull(url);

        // System.Uri has no notion of several hosts: the first one is parsed with the rest of the URL, the others
        // on their own.
        var (first, others) = SplitHosts(url);
        if (!Uri.TryCreate(first, UriKind.Absolute, out var uri))
        {
            throw new FormatException("The Redis URL is not an absolute URL (expected redis://host:port).");
        }

        var options = new RedisOptions();
        options.UseTls = uri.Scheme switch
        {
            "redis" => false,
            "rediss" => true,
            _ => throw new FormatException($"The Redis URL scheme must be redis:// or rediss://, not {uri.Scheme}://."),
        };
        options.Host = uri.Host.Length > 0 ? uri.Host.Trim('[', ']') : "127.0.0.1";
        options.Port = uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port;
        options.Seeds = [.. others.Select(ParseSeed)];

        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            string user = colon < 0 ? uri.UserInfo : uri.UserInfo[..colon];
            string? password = colon < 0 ? null : uri.UserInfo[(colon + 1)..];
            if (colon < 0)
            {
                // redis://secret@host: a lone user-info is the password (the common legacy form).
                password = user;
                user = string.Empty;
            }

            options.User = user.Length > 0 ? Uri.UnescapeDataString(user) : null;
            options.Password = password is { Length: > 0 } ? Uri.UnescapeDataString(password) : null;
        }

        string path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            options.Database = ParseInt(path, "database");
        }

        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string key = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            string value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            switch (key)
            {
                case "name":
                case "client_name":
                    options.ClientName = value;
                    break;
                case "db":
                    options.Database = ParseInt(value, key);
                    break;
                case "timeout":
                    options.CommandTimeout = TimeSpan.FromMilliseconds(ParseInt(value, key));
                    break;
                case "connect_timeout":
                    options.ConnectTimeout = TimeSpan.FromMilliseconds(ParseInt(value, key));
                    break;
                case "cluster":
                    options.Cluster = value switch
                    {
                        "true" or "1" or "yes" => true,
                        "false" or "0" or "no" => false,
                        _ => throw new FormatException($"The Redis URL option cluster must be true or false, not '{value}'."),
                    };
                    break;
                default:
                    throw new FormatException($"Unknown Redis URL option '{key}'.");
            }
        }

        if (options.Seeds.Count > 0 && !options.Cluster)
        {
            throw new FormatException("Several Redis hosts are cluster seeds: add ?cluster=true (one server takes one host).");
        }

        if (options.Cluster && options.Database != 0)
        {
            throw new FormatException("A Redis Cluster has only database 0; remove the database from the URL.");
        }

        return options;
    }

    /// <summary>The URL with only its first host, and the other hosts of a comma-separated list.</summary>
    private static (string First, string[] Others) SplitHosts(string url)
    {
        int scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0)
        {
            return (url, []);
        }

        int authorityStart = scheme + 3;
        int authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        string authority = url[authorityStart..authorityEnd];
        int hostsStart = authority.LastIndexOf('@') + 1;
        string[] hosts = authority[hostsStart..].Split(',');
        if (hosts.Length == 1)
        {
            return (url, []);
        }

        if (hosts.Any(h => h.Length == 0))
        {
            throw new FormatException("The Redis URL has an empty host in its comma-separated list.");
        }

        return (url[..(authorityStart + hostsStart)] + hosts[0] + url[authorityEnd..], hosts[1..]);
    }

    private static RedisEndpoint ParseSeed(string hostAndPort)
    {
        if (!Uri.TryCreate("redis://" + hostAndPort, UriKind.Absolute, out var uri) || uri.Host.Length == 0
            || uri.UserInfo.Length > 0 || uri.AbsolutePath.Trim('/').Length > 0)
        {
            throw new FormatException($"The Redis URL host '{hostAndPort}' is not host[:port].");
        }

        return new RedisEndpoint(uri.Host.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port);
    }

    private static int ParseInt(string text, string what)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            throw new FormatException($"The Redis URL {what} '{text}' is not a non-negative integer.");
        }

        return value;
    }

    /// <summary>A copy whose later changes do not affect this instance.</summary>
    public RedisOptions Clone() => (RedisOptions)MemberwiseClone();

    /// <summary><see cref="Host"/>:<see cref="Port"/> then <see cref="Seeds"/>.</summary>
    internal IEnumerable<RedisEndpoint> AllSeeds() => [new RedisEndpoint(Host, Port), .. Seeds];

    /// <summary>These options for one node of a cluster: another address, no cluster routing.</summary>
    internal RedisOptions ForNode(RedisEndpoint endpoint)
    {
        var node = Clone();
        node.Host = endpoint.Host;
        node.Port = endpoint.Port;
        node.Cluster = false;
        node.Seeds = [];
        return node;
    }

    /// <summary>The URL without the password, for logs.</summary>
    public override string ToString()
    {
        string scheme = UseTls ? "rediss" : "redis";
        string user = User is null ? string.Empty : User + "@";
        return Cluster
            ? $"{scheme}://{user}{string.Join(',', AllSeeds())}?cluster=true"
            : $"{scheme}://{user}{new RedisEndpoint(Host, Port)}/{Database}";
    }
}
