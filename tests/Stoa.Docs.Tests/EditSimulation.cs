using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Stoa.Client;
using Stoa.Ot;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>
/// The randomised multi-client run: 3 to 8 <see cref="DocSession"/> clients make random edits with random delays and
/// dropped connections (and whatever <c>chaos</c> adds, such as node restarts); at the end every client's text must
/// equal the server's, the server's text must be the op log replayed, and every acknowledged op must be in the log
/// at the version it was acknowledged with, exactly once.
/// </summary>
internal static class EditSimulation
{
    private static readonly string[] s_pieces = ["a", "b", "c", " ", "xy", "é", "漢", "👍🏽", "\n", "ñ", "🇫🇷"];

    /// <summary>The seed: the given one, or STOA_DOCS_SEED to replay another.</summary>
    public static int Seed(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("STOA_DOCS_SEED"), out var seed) ? seed : fallback;

    public static async Task RunAsync(int seed, TestTenant tenant, Func<Uri> pickNode, Func<HttpClient> http, int editsPerClient,
        Func<Random, CancellationToken, Task>? chaos = null)
    {
        try
        {
            await RunCoreAsync(seed, tenant, pickNode, http, editsPerClient, chaos);
        }
        catch (Exception e)
        {
            throw new ShouldAssertException($"Simulation with seed {seed} failed (replay: STOA_DOCS_SEED={seed}): {e.Message}", e);
        }
    }

    private static async Task RunCoreAsync(int seed, TestTenant tenant, Func<Uri> pickNode, Func<HttpClient> http, int editsPerClient,
        Func<Random, CancellationToken, Task>? chaos)
    {
        var random = new Random(seed);
        var clients = random.Next(3, 9);
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}: {clients} clients, {editsPerClient} edits each");
        HttpClient Owner()
        {
            var client = http();
            client.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);
            client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.User(tenant.Secret, "owner"));
            return client;
        }

        using var creator = Owner();
        var created = await (await creator.PostAsJsonAsync("/v1/docs", new { text = "start" }, TestContext.Current.CancellationToken))
            .Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var docId = created.GetProperty("id").GetGuid();

        var acks = new ConcurrentDictionary<(string ClientId, long Seq), long>();
        var doubleAcks = new ConcurrentQueue<string>();
        var errors = new ConcurrentQueue<string>();
        var sessions = new List<DocSession>();
        try
        {
            for (var i = 0; i < clients; i++)
            {
                var user = $"user{i}";
                var session = await DocSession.OpenAsync(docId, new DocSessionOptions
                {
                    ServerAddress = pickNode,
                    ApiKey = tenant.ApiKey,
                    AccessToken = () => TestTokens.User(tenant.Secret, user),
                    ClientId = $"sim{i}",
                    ReconnectDelay = TimeSpan.FromMilliseconds(20),
                    MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
                }, TestContext.Current.CancellationToken);
                var clientId = session.ClientId;
                session.Acknowledged += (seq, version) =>
                {
                    if (!acks.TryAdd((clientId, seq), version))
                    {
                        doubleAcks.Enqueue($"{clientId}#{seq}");
                    }
                };
                session.Error += error => errors.Enqueue($"{clientId}: {error.Code} {error.Detail}");
                sessions.Add(session);
            }

            using var stopChaos = new CancellationTokenSource();
            var chaosTask = chaos is null ? Task.CompletedTask : chaos(new Random(seed * 7 + 1), stopChaos.Token);
            var seeds = Enumerable.Range(0, clients).Select(i => random.Next()).ToArray();
            await Task.WhenAll(sessions.Select((session, i) => Task.Run(() => EditAsync(session, new Random(seeds[i]), editsPerClient))));
            await stopChaos.CancelAsync();
            await chaosTask;

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(60));
            foreach (var session in sessions)
            {
                await session.WhenSynchronizedAsync(deadline.Token);
            }

            // Synchronized means acknowledged; wait until every client has also applied everyone else's ops.
            using var owner = Owner();
            var (head, serverText) = await ReadDocAsync(owner, docId);
            while (sessions.Any(s => s.Version < head))
            {
                await Task.Delay(20, deadline.Token);
            }

            foreach (var session in sessions)
            {
                session.Text.ShouldBe(serverText, $"client {session.ClientId} at version {session.Version}");
            }

            // The op log is the truth: replayed, it gives the text; every ack points at its own op, once.
            var log = await ReadLogAsync(owner, docId);
            log.Count.ShouldBe((int)head);
            var replayed = log.Aggregate("start", (text, entry) => TextOt.Apply(text, entry.Op));
            replayed.ShouldBe(serverText);
            log.Select(e => (e.ClientId, e.Seq)).Distinct().Count().ShouldBe(log.Count, "an op was committed twice");
            foreach (var ((clientId, seq), version) in acks)
            {
                var entry = log[(int)version - 1];
                (entry.ClientId, entry.Seq).ShouldBe((clientId, seq), $"ack of {clientId}#{seq} at version {version}");
            }

            acks.Count.ShouldBe(log.Count, "every committed op is acknowledged to its client");
            doubleAcks.ShouldBeEmpty();
            foreach (var session in sessions)
            {
                var seqs = acks.Keys.Where(k => k.ClientId == session.ClientId).Select(k => k.Seq).Order().ToList();
                seqs.ShouldBe([.. Enumerable.Range(1, seqs.Count).Select(i => (long)i)], $"client {session.ClientId} lost an edit");
            }

            errors.Where(e => !e.Contains("rate_limited", StringComparison.Ordinal)).ShouldBeEmpty();
            TestContext.Current.TestOutputHelper?.WriteLine($"seed {seed}: {head} ops, final length {serverText.Length}");
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    private static async Task EditAsync(DocSession session, Random random, int edits)
    {
        for (var e = 0; e < edits; e++)
        {
            var roll = random.Next(100);
            if (roll < 55)
            {
                var piece = new StringBuilder();
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    piece.Append(s_pieces[random.Next(s_pieces.Length)]);
                }

                var at = random.NextDouble();
                session.Edit(text =>
                {
                    var length = CodePoints.Count(text);
                    return TextOp.Insert(Math.Min(length, (int)(at * (length + 1))), piece.ToString());
                });
            }
            else if (roll < 85)
            {
                var at = random.NextDouble();
                var span = random.Next(1, 5);
                session.Edit(text =>
                {
                    var length = CodePoints.Count(text);
                    if (length == 0)
                    {
                        return null;
                    }

                    var position = Math.Min(length - 1, (int)(at * length));
                    return TextOp.Delete(position, Math.Min(span, length - position));
                });
            }
            else if (roll < 90)
            {
                session.DropConnection();
            }
            else if (roll < 94)
            {
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                await session.WhenSynchronizedAsync(wait.Token);
            }
            else
            {
                var at = random.NextDouble();
                session.MoveCursor((int)(at * CodePoints.Count(session.Text)));
            }

            var pause = random.Next(0, 10);
            if (pause > 0)
            {
                await Task.Delay(pause);
            }
        }
    }

    public static async Task<(long Version, string Text)> ReadDocAsync(HttpClient client, Guid docId)
    {
        var body = await client.GetFromJsonAsync<JsonElement>($"/v1/docs/{docId}", TestContext.Current.CancellationToken);
        return (body.GetProperty("version").GetInt64(), body.GetProperty("text").GetString()!);
    }

    private static async Task<List<(long Version, TextOp Op, string ClientId, long Seq)>> ReadLogAsync(HttpClient client, Guid docId)
    {
        var log = new List<(long, TextOp, string, long)>();
        while (true)
        {
            var page = await client.GetFromJsonAsync<JsonElement>($"/v1/docs/{docId}/ops?from={log.Count}", TestContext.Current.CancellationToken);
            var ops = page.GetProperty("ops").EnumerateArray().ToList();
            foreach (var op in ops)
            {
                op.GetProperty("version").GetInt64().ShouldBe(log.Count + 1);
                log.Add((op.GetProperty("version").GetInt64(), TextOp.Parse(op.GetProperty("op")), op.GetProperty("clientId").GetString()!, op.GetProperty("seq").GetInt64()));
            }

            if (ops.Count == 0 || log.Count >= page.GetProperty("version").GetInt64())
            {
                return log;
            }
        }
    }
}
