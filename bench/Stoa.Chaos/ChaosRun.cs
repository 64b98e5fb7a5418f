using System.Diagnostics;
using System.Globalization;

namespace Stoa.Chaos;

/// <summary>
/// <c>chaos</c>: a mixed workload (comments, votes, doc sessions, quote reads and streams, previews) through haproxy, one
/// phase per fault, then a check of every acknowledged write and of doc convergence.
/// </summary>
internal static class ChaosRun
{
    private const double Rate = 40;

    public static async Task<int> RunAsync(StoaApi api, Options options, CancellationToken ct)
    {
        var faults = new Faults(options.Base.Port, options.PidsFile);
        var log = new WriteLog();
        await using var pages = options.PagePort is { } port ? new PageServer(port) : null;
        var doc = (await api.PostAsync("setup", "/v1/docs", "{\"text\":\"\"}", ct)).Body.GetProperty("id").GetGuid();
        // haproxy sends every request and socket of the document to one node: that node orders its ops, and it is the
        // one killed, so that the document loses its sequencer mid-stream and its editors move to the next node.
        var owner = Faults.NumberOf(await api.NodeOfAsync($"/v1/docs/{doc}", ct));
        Console.Error.WriteLine($"chaos: document {doc} is ordered by node {owner}");
        Phase[] phases =
        [
            new("none (baseline)", null, Graceful: false),
            new($"doc's node {owner} SIGKILL + restart", f => NodeAsync(f, owner, Signal.Kill), Graceful: false),
            new(faults.RedisIsCluster ? "Redis primary SIGKILL, replica promoted" : "Redis restart", f => f.RestartRedisAsync(), Graceful: false),
            new("PostgreSQL restart", f => f.RestartPostgresAsync(), Graceful: false),
            new("node 2 SIGTERM + restart", f => NodeAsync(f, 2, Signal.Term), Graceful: true),
        ];
        await using var editors = await DocEditors.OpenAsync(doc, options.Base, api.Credentials, 3, log, ct);
        var workload = new Workload(api, log, doc, restDocOps: false, options.PagePort);
        using var streamHttp = new HttpClient { BaseAddress = options.Base, Timeout = Timeout.InfiniteTimeSpan };
        var current = phases[0];
        var streams = new QuoteStreams(streamHttp, api.Credentials, () => current.Stats);

        var phaseLength = TimeSpan.FromSeconds(options.Seconds);
        var total = phaseLength * phases.Length;
        var streaming = streams.RunAsync(4, total, ct);
        var editing = editors.EditAsync(total, TimeSpan.FromMilliseconds(200), ct);
        foreach (var phase in phases)
        {
            current = phase;
            log.Phase = phase.Fault;
            api.Stats = phase.Stats;
            Console.Error.WriteLine($"chaos: phase '{phase.Fault}' ({options.Seconds} s)");
            var running = Pacer.RunAsync(Rate, phaseLength, workload.RunOneAsync, ct);
            if (phase.Inject is { } inject)
            {
                await Task.Delay(TimeSpan.FromSeconds(2), ct);
                phase.InjectedAt = DateTime.UtcNow;
                try
                {
                    await inject(faults);
                    phase.Back = await WaitHealthyAsync(options.Base, faults, ct) - phase.InjectedAt;
                }
                catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
                {
                    phase.InjectError = e.Message;
                }
            }

            await running;
        }

        await Task.WhenAll(streaming, editing).WaitAsync(TimeSpan.FromSeconds(30), ct);
        var verification = await Verifier.RunAsync(api, log, editors, ct);
        var stale = await QuoteCoherence.StaleReadsAsync(api.Credentials, faults, ct);
        Report.Print(phases, verification, streams.Events);
        Console.WriteLine($"quote reads after recovery: {stale.Stale} of {stale.Reads} stale (a write through the balancer, then every node read directly)");
        return phases.All(p => p.Passed) && verification.LostWrites == 0 && verification.DoubledWrites == 0 && verification.Converged
            && stale.Stale == 0 ? 0 : 1;
    }

    private static async Task NodeAsync(Faults faults, int node, Signal signal)
    {
        await faults.KillNodeAsync(node, signal);
        Console.Error.WriteLine($"chaos: node {node} got SIG{signal.ToString().ToUpperInvariant()}, restarted");
    }

    /// <summary>Waits (at most 60 s) until all three nodes answer /readyz; returns when.</summary>
    private static async Task<DateTime> WaitHealthyAsync(Uri @base, Faults faults, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var ready = 0;
            for (var node = 1; node <= 3; node++)
            {
                try
                {
                    using var response = await http.GetAsync(faults.NodeUrl(node) + "/readyz", ct);
                    ready += response.IsSuccessStatusCode ? 1 : 0;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
            }

            if (ready == 3)
            {
                return DateTime.UtcNow;
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"the nodes behind {@base} were not all ready within 60 s"));
    }
}
