using System.Collections.Concurrent;
using System.Text.Json;

namespace Stoa.Chaos;

/// <summary>
/// One mixed request at a time, picked by weight: quote reads, comment lists and creates, votes, doc reads and REST doc
/// ops (or previews of local pages). Acknowledged writes go to the <see cref="WriteLog"/>.
/// </summary>
internal sealed class Workload(StoaApi api, WriteLog log, Guid restDoc, bool restDocOps, int? pagePort = null)
{
    private static readonly string[] s_threads = ["chaos-a", "chaos-b", "chaos-c", "chaos-d"];
    private static readonly string[] s_symbols = ["AAPL", "MSFT", "GOOGL", "NVDA"];
    private readonly ConcurrentQueue<Guid> _recent = new();
    private readonly ConcurrentDictionary<Guid, int> _voting = new();
    private readonly string _clientId = "load-" + Guid.NewGuid().ToString("N")[..8];
    private long _docSeq;
    private long _docVersion;
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private long _counter;

    public async Task RunOneAsync(CancellationToken ct)
    {
        var pick = Random.Shared.Next(100);
        var thread = s_threads[Random.Shared.Next(s_threads.Length)];
        switch (pick)
        {
            case < 35:
                await api.GetAsync("GET /v1/quotes/{symbol}", "/v1/quotes/" + s_symbols[Random.Shared.Next(s_symbols.Length)], ct);
                break;
            case < 55:
                await api.GetAsync("GET /v1/threads/{id}/comments", $"/v1/threads/{thread}/comments?limit=20", ct);
                break;
            case < 70:
                await CreateCommentAsync(thread, ct);
                break;
            case < 82:
                await VoteAsync(ct);
                break;
            case < 90 when restDocOps:
                await SubmitDocOpAsync(ct);
                break;
            case < 90 when pagePort is { } port:
                var url = Uri.EscapeDataString($"http://127.0.0.1:{port}/page/{Random.Shared.Next(50)}");
                await api.GetAsync("GET /v1/previews", $"/v1/previews?url={url}", ct);
                break;
            default:
                await api.GetAsync("GET /v1/docs/{id}", $"/v1/docs/{restDoc}", ct);
                break;
        }
    }

    private async Task CreateCommentAsync(string thread, CancellationToken ct)
    {
        var n = Interlocked.Increment(ref _counter);
        var (outcome, body) = await api.PostAsync("POST /v1/threads/{id}/comments", $"/v1/threads/{thread}/comments",
            JsonSerializer.Serialize(new { body = $"chaos comment {n}" }), ct, idempotencyKey: $"chaos-{_runId}-{n}");
        if (outcome.IsOk)
        {
            var id = body.GetProperty("id").GetGuid();
            log.Comments[id] = log.Phase;
            _recent.Enqueue(id);
            while (_recent.Count > 200 && _recent.TryDequeue(out _))
            {
            }
        }
    }

    private async Task VoteAsync(CancellationToken ct)
    {
        var candidates = _recent.ToArray();
        if (candidates.Length == 0)
        {
            await api.GetAsync("GET /v1/threads/{id}/comments", $"/v1/threads/{s_threads[0]}/comments?limit=20", ct);
            return;
        }

        // One vote at a time per comment, so "the last acknowledged vote" is well defined.
        var id = candidates[Random.Shared.Next(candidates.Length)];
        if (!_voting.TryAdd(id, 0))
        {
            await api.GetAsync("GET /v1/comments/{id}", $"/v1/comments/{id}", ct);
            return;
        }

        try
        {
            var value = Random.Shared.Next(2) == 0 ? 1 : -1;
            var (outcome, _) = await api.VoteAsync(id, value, ct);
            var votes = log.Votes.GetOrAdd(id, _ => []);
            lock (votes)
            {
                votes.Add((value, outcome.IsOk, log.Phase));
            }
        }
        finally
        {
            _voting.TryRemove(id, out _);
        }
    }

    private async Task SubmitDocOpAsync(CancellationToken ct)
    {
        // Inserting at 0 fits the document at any version, so a stale baseVersion is only transformed, never refused.
        var seq = Interlocked.Increment(ref _docSeq);
        var json = JsonSerializer.Serialize(new { baseVersion = Interlocked.Read(ref _docVersion), op = new[] { "x" }, clientId = _clientId, seq });
        var (outcome, body) = await api.PostAsync("POST /v1/docs/{id}/ops", $"/v1/docs/{restDoc}/ops", json, ct, idempotent: true);
        if (outcome.IsOk)
        {
            var version = body.GetProperty("version").GetInt64();
            log.DocAcks[(_clientId, seq)] = (version, log.Phase);
            long seen;
            while ((seen = Interlocked.Read(ref _docVersion)) < version && Interlocked.CompareExchange(ref _docVersion, version, seen) != seen)
            {
            }
        }
    }
}
