using Stoa.Foundation.Sql;

namespace Stoa.Foundation.Hosting;

/// <summary>Checks every setting at start-up and reports all bad ones at once, each prefixed with its full name.</summary>
public static class StoaOptionsValidator
{
    public static IReadOnlyList<string> Validate(StoaOptions options, IReadOnlyCollection<string> knownModules)
    {
        var errors = new List<string>();

        if (!StoreSettings.TryParse(options.StoreUrl, out _, out var storeError))
        {
            errors.Add($"Stoa:Store: {storeError}");
        }

        if (!string.IsNullOrWhiteSpace(options.Redis) && RedisUrlProblem(options.Redis) is { } redisProblem)
        {
            errors.Add("Stoa:Redis: expected empty (in-process engine), a redis://host:port or rediss://host:port URL, or "
                + $"redis://host:port,host:port?cluster=true for a Redis Cluster ({redisProblem})");
        }

        foreach (var module in ModuleNames(options.Modules, knownModules))
        {
            if (!knownModules.Contains(module))
            {
                errors.Add($"Stoa:Modules: unknown module '{module}'; known modules are {string.Join(", ", knownModules)} (or 'all').");
            }
        }

        if (options.UrlList.Count == 0)
        {
            errors.Add("Stoa:Urls: at least one listen URL is required, e.g. http://localhost:8080.");
        }

        foreach (var url in options.UrlList)
        {
            var normalized = url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            {
                errors.Add($"Stoa:Urls: '{url}' is not an http:// or https:// URL.");
            }
        }

        foreach (var url in options.GrpcUrlList)
        {
            var normalized = url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https") || parsed.AbsolutePath != "/")
            {
                errors.Add($"Stoa:GrpcUrls: '{url}' is not an http:// or https:// listen URL (scheme, host and port, no path).");
            }
            else if (parsed.Port != 0 && options.UrlList.Contains(url, StringComparer.OrdinalIgnoreCase))
            {
                errors.Add($"Stoa:GrpcUrls: '{url}' is also in Stoa:Urls; gRPC needs a port of its own.");
            }
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 256L * 1024 * 1024)
        {
            errors.Add("Stoa:MaxRequestBodyBytes: must be between 1024 and 268435456.");
        }

        if (options.DevMode == true && !options.ListensOnLoopbackOnly)
        {
            errors.Add("Stoa:DevMode: development mode lets anyone who reaches the node act as any user, so it needs Stoa:Urls on loopback only (localhost, 127.0.0.1 or [::1]).");
        }

        if (options.MemoryEngineMaxBytes is < 1024 * 1024 or > 1L << 40)
        {
            errors.Add("Stoa:MemoryEngineMaxBytes: must be between 1048576 (1 MiB) and 1099511627776 (1 TiB).");
        }

        if (options.ShutdownDelaySeconds is < 0 or > 300)
        {
            errors.Add("Stoa:ShutdownDelaySeconds: must be between 0 and 300.");
        }

        foreach (var network in options.TrustedProxyList)
        {
            if (!System.Net.IPNetwork.TryParse(network, out _))
            {
                errors.Add($"Stoa:TrustedProxies: '{network}' is not a network in CIDR notation, e.g. 10.0.0.0/8 or fd00::/8.");
            }
        }

        if (options.LogFormat.ToLowerInvariant() is not ("auto" or "json" or "simple"))
        {
            errors.Add($"Stoa:LogFormat: '{options.LogFormat}' is not a log format; use auto (simple on a terminal, JSON otherwise), json or simple.");
        }

        if (options.StartupTimeoutSeconds is < 0 or > 600)
        {
            errors.Add("Stoa:StartupTimeoutSeconds: must be between 0 and 600.");
        }

        if (options.ShutdownTimeoutSeconds is < 1 or > 600)
        {
            errors.Add("Stoa:ShutdownTimeoutSeconds: must be between 1 and 600.");
        }

        return errors;
    }

    /// <summary>Why the engine's client would refuse the URL, or null when it accepts it (the client's own parser
    /// decides, so that start-up and connect agree on every form, cluster seeds included).</summary>
    private static string? RedisUrlProblem(string url)
    {
        try
        {
            Stoa.Redis.RedisOptions.Parse(url);
            return null;
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }
    }

    /// <summary>The selected module names, lower-cased; <c>all</c> (or empty) selects every known module.</summary>
    public static IReadOnlyList<string> ModuleNames(string? modules, IReadOnlyCollection<string> knownModules)
    {
        var names = (modules ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant())
            .Distinct()
            .ToList();
        return names.Count == 0 || names is ["all"] ? [.. knownModules] : names;
    }
}

/// <summary>Thrown at start-up when a setting is invalid; its message names every bad setting.</summary>
public sealed class InvalidConfigurationException(IReadOnlyList<string> errors)
    : Exception("Invalid configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
