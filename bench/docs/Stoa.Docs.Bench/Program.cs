using System.Globalization;

// The in-process docs scenario (bench/docs/README.md says why it stays in process):
//   memory [--docs 1000] [--size 1000]
namespace Stoa.Docs.Bench;

/// <summary>Managed heap per open document, measured inside the node's own process.</summary>
internal static class DocsBench
{
    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args);
        if (options.Scenario != "memory")
        {
            Console.Error.WriteLine("usage: memory [--docs 1000] [--size 1000]   (throughput and latency: bench/docs/run.sh deployed)");
            return 2;
        }

        await using var node = await Node.StartAsync();
        Console.WriteLine($"# memory: embedded default, 1 node, cores={Environment.ProcessorCount}");
        await MemoryAsync(node, options);
        return 0;
    }

    // A document of --size characters with one live WebSocket on it: the heap it costs the node (and the socket's client
    // end, which lives in this process too), and what the relay says it holds for it.
    private static async Task MemoryAsync(Node node, BenchOptions options)
    {
        var text = new string('m', options.Size);
        var ids = new List<Guid>();
        for (var i = 0; i < options.Docs; i++)
        {
            ids.Add(await node.CreateDocAsync(text));
        }

        var idle = await node.OpenRawSocketsAsync(ids.Take(1).ToList());
        var before = Heap();
        var sockets = await node.OpenRawSocketsAsync(ids);
        var after = Heap();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"docs={options.Docs} size_chars={options.Size} heap_delta_bytes_per_open_doc={(after - before) / options.Docs} relay_bytes_per_doc={node.RelayBytes() / (options.Docs + 1)} (heap delta includes one WebSocket: server and client side)"));
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
}

internal sealed record BenchOptions(string Scenario, int Docs, int Size)
{
    public static BenchOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var index = Array.IndexOf(args, "--" + name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
        }

        int Number(string name, int fallback) => int.Parse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);

        return new BenchOptions(args.Length > 0 ? args[0] : "", Number("docs", 1000), Number("size", 1000));
    }
}
