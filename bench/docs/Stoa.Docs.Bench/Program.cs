using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Stoa.Client;
using Stoa.Ot;

// Docs load scenarios (bench/docs/README.md):
//   throughput [--store sqlite|postgres] [--nodes N] [--editors 20] [--seconds 10]
//   latency    [--store sqlite|postgres] [--nodes N] [--subscribers 200] [--rate 50] [--seconds 10]
//   memory     [--docs 1000] [--size 1000]
namespace Stoa.Docs.Bench;

/// <summary>The docs load scenarios (bench/docs/README.md).</summary>
internal static class DocsBench
{
    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        await using var cluster = await Cluster.StartAsync(options.Store, options.Nodes);
        Console.WriteLine($"# {options.Scenario}: store={options.Store} nodes={options.Nodes} engine={(options.Nodes > 1 || options.Store == "postgres" ? "redis" : "memory")} cores={Environment.ProcessorCount}");
        switch (options.Scenario)
        {
            case "throughput":
                await ThroughputAsync(cluster, options);
                break;
            case "latency":
                await LatencyAsync(cluster, options);
                break;
            case "memory":
                await MemoryAsync(cluster, options);
                break;
            default:
                Console.Error.WriteLine("usage: throughput | latency | memory [--store sqlite|postgres] [--nodes N] ...");
                return 2;
        }

        return 0;
    }

    // Committed ops per second on one document: every editor keeps one op in flight (edit, wait for its ack, repeat).
    private static async Task ThroughputAsync(Cluster cluster, BenchOptions options)
    {
        var id = await cluster.CreateDocAsync("");
        var sessions = await cluster.OpenSessionsAsync(id, options.Editors);
        using var stop = new CancellationTokenSource();
        var editors = sessions.Select((session, i) => Task.Run(async () =>
        {
            var random = new Random(i);
            while (!stop.IsCancellationRequested)
            {
                session.Edit(text =>
                {
                    var length = CodePoints.Count(text);
                    // Keep the document small so that the clients' own copies cost little CPU next to the server's work.
                    return length > 200
                        ? TextOp.Delete(random.Next(length), 1)
                        : TextOp.Insert(random.Next(length + 1), "x");
                });
                await session.WhenSynchronizedAsync(CancellationToken.None);
            }
        })).ToList();

        await Task.Delay(TimeSpan.FromSeconds(2));
        var (startVersion, _) = await cluster.ReadDocAsync(id);
        var clock = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
        var (endVersion, _) = await cluster.ReadDocAsync(id);
        var elapsed = clock.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        await Task.WhenAll(editors);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"editors={options.Editors} committed={endVersion - startVersion} seconds={elapsed:F1} ops_per_second={(endVersion - startVersion) / elapsed:F0}"));
        await DisposeAllAsync(sessions);
    }

    // Time from a submit to its delivery at every subscriber (p50/p99), with one writer at a steady rate.
    private static async Task LatencyAsync(Cluster cluster, BenchOptions options)
    {
        var id = await cluster.CreateDocAsync("");
        var subscribers = await cluster.OpenSessionsAsync(id, options.Subscribers);
        var writer = (await cluster.OpenSessionsAsync(id, 1))[0];
        var submitted = new long[options.Rate * options.Seconds + 2];
        var versionOfSeq = new System.Collections.Concurrent.ConcurrentDictionary<long, long>();
        writer.Acknowledged += (seq, version) => versionOfSeq[version] = seq;
        var deliveries = new System.Collections.Concurrent.ConcurrentQueue<(long Version, long At)>();
        foreach (var subscriber in subscribers)
        {
            subscriber.RemoteChange += change => deliveries.Enqueue((change.Version, Stopwatch.GetTimestamp()));
        }

        var interval = TimeSpan.FromSeconds(1.0 / options.Rate);
        var clock = Stopwatch.StartNew();
        for (var seq = 1; seq < submitted.Length - 1; seq++)
        {
            var due = interval * seq;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            await writer.WhenSynchronizedAsync(CancellationToken.None);
            submitted[seq] = Stopwatch.GetTimestamp();
            writer.Edit(text => TextOp.Insert(CodePoints.Count(text) > 500 ? 0 : CodePoints.Count(text), "y"));
        }

        await writer.WhenSynchronizedAsync(CancellationToken.None);
        await Task.Delay(1000);
        var latencies = deliveries
            .Where(d => versionOfSeq.ContainsKey(d.Version))
            .Select(d => Stopwatch.GetElapsedTime(submitted[versionOfSeq[d.Version]], d.At).TotalMilliseconds)
            .Order()
            .ToArray();
        var expected = (long)versionOfSeq.Count * options.Subscribers;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"subscribers={options.Subscribers} ops={versionOfSeq.Count} deliveries={latencies.Length}/{expected} p50_ms={Percentile(latencies, 0.50):F2} p99_ms={Percentile(latencies, 0.99):F2} max_ms={latencies[^1]:F2}"));
        await DisposeAllAsync([.. subscribers, writer]);
    }

    // Managed heap per open document: a document of --size characters with one live WebSocket on it.
    private static async Task MemoryAsync(Cluster cluster, BenchOptions options)
    {
        var text = new string('m', options.Size);
        var ids = new List<Guid>();
        for (var i = 0; i < options.Docs; i++)
        {
            ids.Add(await cluster.CreateDocAsync(text));
        }

        var idle = await cluster.OpenRawSocketsAsync(ids.Take(1).ToList());
        var before = Heap();
        var sockets = await cluster.OpenRawSocketsAsync(ids);
        var after = Heap();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"docs={options.Docs} size_chars={options.Size} heap_delta_bytes_per_open_doc={(after - before) / options.Docs} relay_bytes_per_doc={cluster.RelayBytes() / (options.Docs + 1)} (heap delta includes one WebSocket: server and client side)"));
        foreach (var socket in sockets.Concat(idle))
        {
            socket.Abort();
            socket.Dispose();
        }

        static long Heap()
        {
            for (var i = 0; i < 3; i++)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }

            return GC.GetTotalMemory(forceFullCollection: true);
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static async Task DisposeAllAsync(IEnumerable<DocSession> sessions)
    {
        await Task.WhenAll(sessions.Select(s => s.DisposeAsync().AsTask()));
    }
}

internal sealed record BenchOptions(string Scenario, string Store, int Nodes, int Editors, int Seconds, int Subscribers, int Rate, int Docs, int Size)
{
    public static BenchOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var index = Array.IndexOf(args, "--" + name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        int Number(string name, int fallback) => int.Parse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        return new BenchOptions(args.Length > 0 ? args[0] : "", Value("store", "sqlite"), Number("nodes", 1), Number("editors", 20),
            Number("seconds", 10), Number("subscribers", 200), Number("rate", 50), Number("docs", 1000), Number("size", 1000));
    }
}
