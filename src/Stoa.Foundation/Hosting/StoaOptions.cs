namespace Stoa.Foundation.Hosting;

/// <summary>
/// The <c>Stoa</c> configuration section (appsettings.json, or environment variables such as <c>Stoa__Store</c>).
/// Validated once at start-up by <see cref="StoaOptionsValidator"/>; an invalid value stops the process with a message
/// that names the setting.
/// </summary>
public sealed class StoaOptions
{
    public const string Section = "Stoa";

    public const string DefaultStore = "sqlite:data/stoa.db";

    /// <summary>
    /// <c>sqlite:PATH</c> or a <c>postgres://user:pass@host:port/db</c> URL; unset means the embedded default,
    /// <see cref="DefaultStore"/>. Read <see cref="StoreUrl"/>.
    /// </summary>
    public string? Store { get; set; }

    /// <summary>The store in use: <see cref="Store"/>, or the embedded default when it is not set.</summary>
    public string StoreUrl => string.IsNullOrWhiteSpace(Store) ? DefaultStore : Store;

    /// <summary>Empty for the in-process engine, or a <c>redis://</c> / <c>rediss://</c> URL to scale out.</summary>
    public string? Redis { get; set; }

    /// <summary>Comma-separated module names, or <c>all</c>.</summary>
    public string Modules { get; set; } = "all";

    /// <summary>
    /// How much memory the in-process engine (no <see cref="Redis"/>) may hold before it evicts least recently used
    /// keys, those with an expiry first; an estimate in bytes.
    /// </summary>
    public long MemoryEngineMaxBytes { get; set; } = Engine.Memory.MemoryEngine.DefaultMaxBytes;

    /// <summary>
    /// How log lines are written to stdout: <c>json</c> (one JSON object per line, for collectors), <c>simple</c> (the
    /// framework's readable console format), or <c>auto</c>: simple when stdout is a terminal, JSON otherwise.
    /// </summary>
    public string LogFormat { get; set; } = "auto";

    /// <summary>Whether log lines are JSON: asked for, or <c>auto</c> with stdout redirected (a container, a pipe).</summary>
    public bool LogsJson => LogFormat.Equals("json", StringComparison.OrdinalIgnoreCase)
        || (LogFormat.Equals("auto", StringComparison.OrdinalIgnoreCase) && Console.IsOutputRedirected);

    /// <summary>Semicolon-separated listen URLs.</summary>
    public string Urls { get; set; } = "http://localhost:8080";

    /// <summary>Largest request body any endpoint accepts; endpoints with small fields set lower limits.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long the node keeps serving after SIGTERM with readiness already false, so that load balancers stop
    /// sending it traffic before it stops listening.
    /// </summary>
    public int ShutdownDelaySeconds { get; set; }

    /// <summary>
    /// Networks (CIDR, separated by ';' or ',') of the proxies whose X-Forwarded-For and X-Forwarded-Proto are
    /// believed, besides loopback: e.g. the pod network behind an ingress. Only the last X-Forwarded-For entry (the
    /// one the nearest proxy appended) is used, so a client cannot choose its own address.
    /// </summary>
    public string TrustedProxies { get; set; } = "";

    public IReadOnlyList<string> TrustedProxyList =>
        TrustedProxies.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>How long in-flight requests get to finish once the node stops listening.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// How long a starting node waits for the store and Redis to answer (saying what it waits for every few seconds)
    /// before it stops with exit code 2 naming the setting that points at them.
    /// </summary>
    public int StartupTimeoutSeconds { get; set; } = 30;

    /// <summary>Apply pending schema migrations at start-up (otherwise run <c>stoa migrate</c>).</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// Development conveniences: a development app created and printed on first start, the dev token endpoints, which
    /// let anyone who reaches the node act as any user. Unset means on only for the zero-set-up default (no
    /// <see cref="Store"/>, no <see cref="Redis"/>); in every case only while the node listens on loopback alone, so a
    /// container or a server listening on a public address never runs it.
    /// </summary>
    public bool? DevMode { get; set; }

    public bool IsDevMode => (DevMode ?? (string.IsNullOrWhiteSpace(Store) && string.IsNullOrWhiteSpace(Redis))) && ListensOnLoopbackOnly;

    /// <summary>True when every listen URL names a loopback host (localhost, 127.0.0.0/8, ::1).</summary>
    public bool ListensOnLoopbackOnly => UrlList.Count > 0 && UrlList.All(url =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed)
        && (parsed.IsLoopback || string.Equals(parsed.Host, "localhost", StringComparison.OrdinalIgnoreCase)));

    /// <summary>
    /// Semicolon-separated listen URLs for gRPC (HTTP/2 alone); empty, the default, turns gRPC off. Each is an
    /// endpoint of its own, since cleartext HTTP/2 cannot share a port with HTTP/1.1.
    /// </summary>
    public string GrpcUrls { get; set; } = "";

    public IReadOnlyList<string> GrpcUrlList =>
        GrpcUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<string> UrlList =>
        Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
