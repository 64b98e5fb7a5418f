using BenchmarkDotNet.Attributes;
using Stoa.Redis;

namespace Stoa.Bench.Redis;

/// <summary>
/// GET round trips on one multiplexed connection. Per-operation figures: with 50 concurrent callers the mean is the
/// wall time per GET while 50 are in flight, so 1 / mean is the throughput (compare with
/// <c>redis-benchmark -t get -c 50</c>, which uses 50 connections).
/// </summary>
[MemoryDiagnoser]
public class RedisRoundTripBenchmarks
{
    private const string Key = "bench:get";
    private const int Callers = 50;
    private const int GetsPerCaller = 400;
    private BenchRedisServer _server = null!;
    private RedisClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = BenchRedisServer.Start();
        _client = RedisClient.ConnectAsync(RedisOptions.Parse(_server.Url)).GetAwaiter().GetResult();

        // 3 bytes, like redis-benchmark's default payload.
        _client.SetAsync(Key, "xxx").AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server.Dispose();
    }

    /// <summary>One caller, one GET at a time: the latency of a round trip.</summary>
    [Benchmark]
    public async Task<string?> Get_1_caller() => await _client.GetAsync(Key);

    /// <summary>50 callers, each issuing GETs back to back (like 50 redis-benchmark clients), on one connection.</summary>
    [Benchmark(OperationsPerInvoke = Callers * GetsPerCaller)]
    public async Task Get_50_callers()
    {
        var callers = new Task[Callers];
        for (int i = 0; i < callers.Length; i++)
        {
            callers[i] = CallerAsync();
        }

        await Task.WhenAll(callers);
    }

    private async Task CallerAsync()
    {
        await Task.Yield();
        for (int i = 0; i < GetsPerCaller; i++)
        {
            await _client.GetAsync(Key);
        }
    }
}
