using Stoa.HostileSweep;

// Usage: stoa-hostile-sweep --url URL --key KEY --token JWT --other-key KEY --other-token JWT [--server-token JWT]
//        [--max-body BYTES] [--concurrency N] [--max-requests N] [--seed N]   (the contract pass's seed; random when left out)
// Exit code: 0 when every answer kept the rules, 1 when something broke one (the findings are printed), 2 on bad usage.
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal))
    {
        return Usage($"unexpected argument '{args[i]}'");
    }

    options[args[i][2..]] = args[i + 1];
}

if (args.Length % 2 != 0)
{
    return Usage($"'{args[^1]}' has no value");
}

string? Get(string name) => options.GetValueOrDefault(name) ?? Environment.GetEnvironmentVariable("SWEEP_" + name.Replace('-', '_').ToUpperInvariant());

if (Get("url") is not { } url || !Uri.TryCreate(url, UriKind.Absolute, out var baseAddress)
    || Get("key") is not { } key || Get("token") is not { } token || Get("other-key") is not { } otherKey || Get("other-token") is not { } otherToken)
{
    return Usage("--url, --key, --token, --other-key and --other-token are required (or SWEEP_URL, SWEEP_KEY…)");
}

var target = new SweepTarget(baseAddress, key, token, otherKey, otherToken, Get("server-token"))
{
    MaxRequestBodyBytes = long.Parse(Get("max-body") ?? "1048576", System.Globalization.CultureInfo.InvariantCulture),
    Concurrency = int.Parse(Get("concurrency") ?? "4", System.Globalization.CultureInfo.InvariantCulture),
    MaxRequests = int.Parse(Get("max-requests") ?? "3000", System.Globalization.CultureInfo.InvariantCulture),
    FuzzSeed = Get("seed") is { } seed ? int.Parse(seed, System.Globalization.CultureInfo.InvariantCulture) : Random.Shared.Next(),
};

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var report = await new SweepRunner(target).RunAsync(cancel.Token);
Console.WriteLine(report);
return report.Findings.Count == 0 ? 0 : 1;

static int Usage(string problem)
{
    Console.Error.WriteLine($"hostile-sweep: {problem}");
    Console.Error.WriteLine("usage: scripts/hostile-sweep --url http://localhost:8080 --key KEY --token JWT --other-key KEY --other-token JWT [--server-token JWT] [--max-body BYTES] [--concurrency N] [--max-requests N] [--seed N]");
    return 2;
}
