using System.Diagnostics;
using System.Globalization;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Redis;

// engine-probe fanout|ratelimit --redis URL [--nodes 3] [--seconds 10] [--concurrency 32] [--channels 64]
var mode = args.FirstOrDefault();
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

if (mode is not ("fanout" or "ratelimit") || !options.TryGetValue("redis", out var url))
{
    Console.Error.WriteLine("""
        engine-probe fanout --redis URL [--nodes 3] [--seconds 10] [--concurrency 32] [--channels 64]
            every node subscribes to every channel (thread topics of one app) and keeps --concurrency publishes in
            flight on random channels; prints messages published and deliveries received per second, lost
            deliveries, and publish-to-delivery p50/p99.
        engine-probe ratelimit --redis URL [--nodes 3] [--seconds 10] [--concurrency 32] [--subjects 1000]
            every node keeps --concurrency token-bucket takes in flight on random subjects' buckets (never empty);
            prints takes per second and their p50/p99.
        """);
    return 2;
}

int Option(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
var nodeCount = Option("nodes", 3);
var duration = TimeSpan.FromSeconds(Option("seconds", 10));
var concurrency = Option("concurrency", 32);
var app = Guid.Parse("5f0a6c1e-0000-4000-8000-000000000001");

// Each "node" is an engine of its own, with its own connections, as a separate stoa process would have.
var nodes = new RedisEngine[nodeCount];
for (var n = 0; n < nodeCount; n++)
{
    nodes[n] = await RedisEngine.ConnectAsync(url, null, TimeSpan.FromSeconds(10), CancellationToken.None);
}

try
{
    return mode == "fanout"
        ? await Probes.FanOutAsync(nodes, app, Option("channels", 64), concurrency, duration)
        : await Probes.RateLimitAsync(nodes, app, Option("subjects", 1000), concurrency, duration);
}
finally
{
    foreach (var node in nodes)
    {
        await node.DisposeAsync();
    }
}

internal static class Probes
{
    public static async Task<int> FanOutAsync(RedisEngine[] nodes, Guid app, int channelCount, int concurrency, TimeSpan duration)
    {
        var channels = Enumerable.Range(0, channelCount).Select(i => EngineKeys.For(app, "comments", "thread", "t" + i)).ToArray();
        var measuring = 0;
        long delivered = 0;
        var latencies = new Recorder();
        var subscriptions = new List<IAsyncDisposable>();
        foreach (var node in nodes)
        {
            foreach (var channel in channels)
            {
                subscriptions.Add(await node.SubscribeAsync(channel, (_, payload) =>
                {
                    // The payload's first 8 bytes are the publisher's timestamp; one process, one clock.
                    var sent = BitConverter.ToInt64(payload.Span);
                    if (sent < 0 || Volatile.Read(ref measuring) == 0)
                    {
                        return ValueTask.CompletedTask;
                    }

                    Interlocked.Increment(ref delivered);
                    latencies.Add(Stopwatch.GetElapsedTime(sent));
                    return ValueTask.CompletedTask;
                }, CancellationToken.None));
            }
        }

        long published = 0;
        var warmup = TimeSpan.FromSeconds(2);
        var start = Stopwatch.GetTimestamp();
        var tasks = nodes.SelectMany((node, n) => Enumerable.Range(0, concurrency).Select(c => Task.Run(async () =>
        {
            var random = new Random(n * 1000 + c);
            var payload = new byte[200];
            while (Stopwatch.GetElapsedTime(start) < warmup + duration)
            {
                var inWindow = Stopwatch.GetElapsedTime(start) >= warmup;
                // Messages sent before the window are marked so that receivers ignore them.
                BitConverter.TryWriteBytes(payload, inWindow ? Stopwatch.GetTimestamp() : -1L);
                await node.PublishAsync(channels[random.Next(channels.Length)], payload.AsMemory(), CancellationToken.None);
                if (inWindow)
                {
                    Volatile.Write(ref measuring, 1);
                    Interlocked.Increment(ref published);
                }
            }
        }))).ToArray();
        await Task.WhenAll(tasks);
        // Deliveries still on their way when publishing stopped are counted for the loss check, not the rate.
        var deliveredInWindow = Interlocked.Read(ref delivered);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var expected = published * nodes.Length;
        var lost = expected - Interlocked.Read(ref delivered);
        foreach (var subscription in subscriptions)
        {
            await subscription.DisposeAsync();
        }

        var seconds = duration.TotalSeconds;
        Console.WriteLine(FormattableString.Invariant(
            $"fanout nodes={nodes.Length} channels={channelCount} concurrency={concurrency} published/s={published / seconds:F0} delivered/s={deliveredInWindow / seconds:F0} lost={lost} {latencies.Summary()}"));
        return 0;
    }

    public static async Task<int> RateLimitAsync(RedisEngine[] nodes, Guid app, int subjects, int concurrency, TimeSpan duration)
    {
        // A bucket that never runs out: every take is a full check that takes a token, none is refused early.
        var policy = new RateLimitPolicy(1_000_000_000, 1_000_000_000);
        var keys = Enumerable.Range(0, subjects).Select(i => EngineKeys.For(app, "ratelimit", "reads", "u" + i)).ToArray();
        long takes = 0;
        long refused = 0;
        var latencies = new Recorder();
        var warmup = TimeSpan.FromSeconds(2);
        var start = Stopwatch.GetTimestamp();
        var tasks = nodes.SelectMany((node, n) => Enumerable.Range(0, concurrency).Select(c => Task.Run(async () =>
        {
            var random = new Random(n * 1000 + c);
            while (Stopwatch.GetElapsedTime(start) < warmup + duration)
            {
                var began = Stopwatch.GetTimestamp();
                var decision = await node.TryTakeAsync(keys[random.Next(keys.Length)], policy, 1, CancellationToken.None);
                if (Stopwatch.GetElapsedTime(start) >= warmup)
                {
                    Interlocked.Increment(ref decision.Allowed ? ref takes : ref refused);
                    latencies.Add(Stopwatch.GetElapsedTime(began));
                }
            }
        }))).ToArray();
        await Task.WhenAll(tasks);
        Console.WriteLine(FormattableString.Invariant(
            $"ratelimit nodes={nodes.Length} subjects={subjects} concurrency={concurrency} takes/s={takes / duration.TotalSeconds:F0} refused={refused} {latencies.Summary()}"));
        return refused == 0 ? 0 : 1;
    }
}

/// <summary>Latencies from many threads; sorted once at the end.</summary>
internal sealed class Recorder
{
    private readonly List<double> _milliseconds = new(1 << 20);

    public void Add(TimeSpan elapsed)
    {
        lock (_milliseconds)
        {
            _milliseconds.Add(elapsed.TotalMilliseconds);
        }
    }

    public string Summary()
    {
        lock (_milliseconds)
        {
            if (_milliseconds.Count == 0)
            {
                return "p50=- p99=-";
            }

            _milliseconds.Sort();
            double At(double q) => _milliseconds[(int)Math.Min(_milliseconds.Count - 1, q * _milliseconds.Count)];
            return FormattableString.Invariant($"p50={At(0.50):F2}ms p99={At(0.99):F2}ms");
        }
    }
}
