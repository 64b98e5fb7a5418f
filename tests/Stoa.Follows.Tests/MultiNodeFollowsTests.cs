using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Auth;
using Stoa.Redis;
using Stoa.Testing;

namespace Stoa.Follows.Tests;

/// <summary>Three nodes over one PostgreSQL database and one real Redis, as in production.</summary>
[Collection(MultiNodeFollowsScenarios.Collection)]
public sealed class MultiNodeFollowsTests : MultiNodeFollowsScenarios
{
    private RedisServer _redis = null!;

    protected override string RedisUrl => _redis.Url;

    protected override async Task StartRedisAsync() => _redis = await RedisServer.Shared;

    protected override async Task FlushAllAsync()
    {
        await using var admin = await RedisClient.ConnectAsync(_redis.Url, Ct);
        await admin.ExecuteAsync("FLUSHALL", [], Ct);
    }

    protected override async Task<IReadOnlyList<string>> KeysAsync(string pattern)
    {
        await using var admin = await RedisClient.ConnectAsync(_redis.Url, Ct);
        return [.. (await admin.ExecuteAsync("KEYS", [pattern], Ct)).Items.ToArray().Select(k => k.AsString()!)];
    }
}

/// <summary>
/// The same on a Redis Cluster (3 primaries, 3 replicas): a follow's keys are laid out so that no script spans slots
/// (the client refuses one before sending it, which would fail these tests).
/// </summary>
[Collection(MultiNodeFollowsScenarios.Collection)]
public sealed class MultiNodeFollowsClusterTests : MultiNodeFollowsScenarios
{
    private RedisClusterServer _cluster = null!;

    protected override string RedisUrl => _cluster.Url;

    protected override async Task StartRedisAsync() => _cluster = await RedisClusterServer.Shared;

    protected override async Task FlushAllAsync()
    {
        foreach (var port in await _cluster.PrimariesAsync())
        {
            await _cluster.CliAsync(port, "FLUSHALL");
        }
    }

    protected override async Task<IReadOnlyList<string>> KeysAsync(string pattern)
    {
        var keys = new List<string>();
        foreach (var port in await _cluster.PrimariesAsync())
        {
            keys.AddRange((await _cluster.CliAsync(port, "KEYS", pattern)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return keys;
    }
}

/// <summary>Three nodes over one PostgreSQL database and the engine the subclass starts.</summary>
public abstract class MultiNodeFollowsScenarios : IAsyncLifetime
{
    /// <summary>One variant at a time: two sets of three nodes sending 500 calls at once exhaust the test PostgreSQL's connections.</summary>
    public const string Collection = "multi-node follows";

    private readonly List<StoaAppFactory<Program>> _nodes = [];
    private TestTenant[] _tenant = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected abstract string RedisUrl { get; }

    protected abstract Task StartRedisAsync();

    /// <summary>Loses everything the engine held, as a Redis flush would.</summary>
    protected abstract Task FlushAllAsync();

    protected abstract Task<IReadOnlyList<string>> KeysAsync(string pattern);

    public async ValueTask InitializeAsync()
    {
        await StartRedisAsync();
        // 500 calls at once queue for each node's 50 connections; on a loaded 2-core machine some wait longer than
        // Npgsql's 15 s default for one, which would answer 503 store_unavailable (a deployment sizes its pool instead).
        var store = await TestStores.CreateAsync("postgres");
        store += (store.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "timeout=120";
        for (var i = 0; i < 3; i++)
        {
            var node = new StoaAppFactory<Program>(store, new Dictionary<string, string?>
            {
                ["Stoa:Redis"] = RedisUrl,
                ["Stoa:RateLimits:Enabled"] = "false",
            });
            node.StartServer();
            _nodes.Add(node);
        }

        // One app, seen through each node.
        var app = await _nodes[0].Services.GetRequiredService<AppStore>().CreateAsync("multi", Ct);
        _tenant = [.. _nodes.Select(n => new TestTenant(app.ApiKey, app.Secret, n.CreateClient))];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement;
    }

    private static async Task Eventually(Func<Task<bool>> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"not within 10 s: {because}");
            }

            await Task.Delay(20, Ct);
        }
    }

    private static async Task<string[]> Followers(HttpClient client, string user) =>
        [.. (await Json(await client.GetAsync($"/v1/users/{user}/followers?limit=100", Ct))).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("userId").GetString()!)];

    [Fact]
    public async Task A_follow_acknowledged_on_node_1_is_listed_by_nodes_2_and_3()
    {
        using var reader2 = _tenant[1].App();
        using var reader3 = _tenant[2].App();
        // Nodes 2 and 3 hold the (empty) list in process memory before the follow.
        (await Followers(reader2, "celebrity")).ShouldBeEmpty();
        (await Followers(reader3, "celebrity")).ShouldBeEmpty();

        using var alice = _tenant[0].User("alice");
        (await Json(await alice.PutAsync("/v1/users/celebrity/followers/me", null, Ct))).GetProperty("followers").GetInt64().ShouldBe(1);

        await Eventually(async () => (await Followers(reader2, "celebrity")).SequenceEqual(["alice"]), "node 2 lists the follow");
        await Eventually(async () => (await Followers(reader3, "celebrity")).SequenceEqual(["alice"]), "node 3 lists the follow");
        (await Json(await reader3.GetAsync("/v1/users/alice", Ct))).GetProperty("following").GetInt64().ShouldBe(1);
    }

    [Fact]
    public async Task Counts_stay_exact_under_500_concurrent_calls_spread_over_three_nodes()
    {
        var random = new Random(5003);
        var users = Enumerable.Range(0, 40).Select(i => $"fan{i}").ToList();
        var clients = users.Select((u, i) => _tenant[i % 3].User(u)).ToList();
        var calls = Enumerable.Range(0, 500).Select(_ => (Client: random.Next(users.Count), Follow: random.Next(3) > 0)).ToList();

        var responses = await Task.WhenAll(calls.Select(c => Task.Run(() => c.Follow
            ? clients[c.Client].PutAsync("/v1/users/idol/followers/me", null, Ct)
            : clients[c.Client].DeleteAsync("/v1/users/idol/followers/me", Ct), Ct)));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).Select(r => r.Content.ReadAsStringAsync(Ct)).ToList();
        (await Task.WhenAll(refused)).ShouldBeEmpty("every call answers 200");

        var appId = (await _nodes[0].Services.GetRequiredService<AppStore>().FindByApiKeyAsync(_tenant[0].ApiKey, Ct))!.Id;
        var truth = await _nodes[0].Services.GetRequiredService<Core.IFollowStore>().CountAsync(appId, "idol", Core.FollowDirection.Followers, Ct);
        for (var node = 0; node < 3; node++)
        {
            using var reader = _tenant[node].App();
            await Eventually(async () => (await Json(await reader.GetAsync("/v1/users/idol", Ct))).GetProperty("followers").GetInt64() == truth,
                $"node {node + 1} counts {truth}");
            (await Followers(reader, "idol")).Length.ShouldBe((int)truth);
        }
    }

    [Fact]
    public async Task After_redis_is_flushed_the_lists_are_rebuilt_from_the_store()
    {
        foreach (var fan in new[] { "a", "b", "c" })
        {
            using var client = _tenant[0].User(fan);
            (await client.PutAsync("/v1/users/phoenix/followers/me", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await FlushAllAsync();

        for (var node = 0; node < 3; node++)
        {
            using var reader = _tenant[node].App();
            await Eventually(async () => (await Followers(reader, "phoenix")).Order().SequenceEqual(["a", "b", "c"]), $"node {node + 1} rebuilt the list");
            (await Json(await reader.GetAsync("/v1/users/phoenix", Ct))).GetProperty("followers").GetInt64().ShouldBe(3);
        }
    }

    [Fact]
    public async Task Stoa_follows_rebuild_restores_redis_from_the_store()
    {
        using (var client = _tenant[1].User("zed"))
        {
            (await client.PutAsync("/v1/users/rebuilt/followers/me", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        await FlushAllAsync();

        var info = new System.Diagnostics.ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, "follows", "rebuild", "--app", _tenant[0].ApiKey])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.Environment["Stoa__Store"] = _nodes[0].Settings["Stoa:Store"]!;
        info.Environment["Stoa__Redis"] = RedisUrl;
        using var process = System.Diagnostics.Process.Start(info)!;
        var stdout = await process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        process.ExitCode.ShouldBe(0, stderr);
        stdout.ShouldMatch(@"^\d+ follow\(s\) restored\.");

        var keys = await KeysAsync("*:follows:rebuilt}:followers");
        keys.Count.ShouldBe(1, "the rebuild wrote the list back to Redis before any read");
        await using var admin = await RedisClient.ConnectAsync(RedisUrl, Ct);
        (await admin.ExecuteAsync("ZRANGE", [keys[0], "0", "-1"], Ct)).Items.ToArray().Select(i => i.AsString()).ShouldBe(["zed"]);
    }
}
