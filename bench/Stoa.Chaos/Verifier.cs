using System.Text.Json;

namespace Stoa.Chaos;

internal sealed record Verification(
    int Comments, int MissingComments, int VotedComments, int WrongVotes, int DocAcks, int MissingDocAcks, int DoubledDocOps, int Tokens,
    int MissingTokens, int DoubledTokens, bool Converged, IReadOnlyDictionary<string, int> LostByPhase, string Notes)
{
    public int LostWrites => MissingComments + WrongVotes + MissingDocAcks + MissingTokens;

    /// <summary>Doc ops applied twice: a (clientId, seq) more than once in the op log, or a token more than once in the text.</summary>
    public int DoubledWrites => DoubledDocOps + DoubledTokens;
}

/// <summary>
/// Checks the workload's log of acknowledged writes against the API: none lost, no doc op applied twice, and all doc
/// clients converged.
/// </summary>
internal static class Verifier
{
    public static async Task<Verification> RunAsync(StoaApi api, WriteLog log, DocEditors editors, CancellationToken ct)
    {
        var notes = new List<string>();
        foreach (var session in editors.Sessions)
        {
            try
            {
                await session.WhenSynchronizedAsync(ct).WaitAsync(TimeSpan.FromSeconds(30), ct);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                notes.Add($"{session.ClientId} not synchronized: {e.Message}");
            }
        }

        var (serverVersion, serverText) = await ReadDocAsync(api, editors.DocId, ct);
        var converged = false;
        for (var i = 0; i < 100 && !converged; i++)
        {
            converged = editors.Sessions.All(s => s.Version == serverVersion && s.Text == serverText);
            if (!converged)
            {
                await Task.Delay(100, ct);
                (serverVersion, serverText) = await ReadDocAsync(api, editors.DocId, ct);
            }
        }

        if (!converged)
        {
            notes.Add("doc clients at versions " + string.Join(", ", editors.Sessions.Select(s => s.Version)) + $", server at {serverVersion}");
        }

        var opLog = await ReadOpsAsync(api, editors.DocId, ct);
        var committed = opLog.GroupBy(o => (o.ClientId, o.Seq)).ToDictionary(g => g.Key, g => g.Select(o => o.Version).ToList());
        var lost = new Dictionary<string, int>(StringComparer.Ordinal);
        void Lose(string phase) => lost[phase] = lost.GetValueOrDefault(phase) + 1;
        var missingAcks = 0;
        foreach (var (key, (version, phase)) in log.DocAcks.Where(a => !committed.TryGetValue(a.Key, out var v) || !v.Contains(a.Value.Version)))
        {
            missingAcks++;
            Lose(phase);
            notes.Add($"doc op {key} acked at {version} is not in the op log there");
        }

        var doubledOps = 0;
        foreach (var (key, versions) in committed.Where(c => c.Value.Count > 1))
        {
            doubledOps++;
            notes.Add($"doc op {key} is in the op log {versions.Count} times, at versions {string.Join(", ", versions)}");
        }

        var missingTokens = 0;
        var doubledTokens = 0;
        foreach (var (token, phase) in log.DocEdits)
        {
            var count = Occurrences(serverText, token);
            if (count == 0)
            {
                missingTokens++;
                Lose(phase);
            }
            else if (count > 1)
            {
                doubledTokens++;
                notes.Add($"token {token} ({phase}) is {count} times in the text");
            }
        }

        var missingComments = 0;
        foreach (var (id, phase) in log.Comments)
        {
            if (await TryReadAsync(api, $"/v1/comments/{id}", null, ct) is null)
            {
                missingComments++;
                Lose(phase);
            }
        }

        var wrongVotes = 0;
        var voted = 0;
        foreach (var (id, votes) in log.Votes)
        {
            if (WriteLog.AllowedVotes(votes) is not { } allowed)
            {
                continue;
            }

            voted++;
            var comment = await TryReadAsync(api, $"/v1/comments/{id}", api.Credentials.VoterToken, ct);
            var myVote = comment?.TryGetProperty("myVote", out var v) == true && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : 0;
            var score = comment?.GetProperty("score").GetInt64();
            if (comment is null || !allowed.Contains(myVote) || score != myVote)
            {
                wrongVotes++;
                Lose(votes.FindLast(v => v.Acked).Phase);
                notes.Add($"comment {id}: myVote {myVote}, score {score}, allowed {string.Join('/', allowed)}");
            }
        }

        return new Verification(log.Comments.Count, missingComments, voted, wrongVotes, log.DocAcks.Count, missingAcks, doubledOps,
            log.DocEdits.Count, missingTokens, doubledTokens, converged, lost, string.Join("; ", notes.Take(10)));
    }

    private static int Occurrences(string text, string token)
    {
        var count = 0;
        for (var at = text.IndexOf(token, StringComparison.Ordinal); at >= 0; at = text.IndexOf(token, at + token.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static async Task<(long Version, string Text)> ReadDocAsync(StoaApi api, Guid doc, CancellationToken ct)
    {
        var body = await api.ReadAsync($"/v1/docs/{doc}", ct);
        return (body.GetProperty("version").GetInt64(), body.GetProperty("text").GetString() ?? "");
    }

    /// <summary>The whole op log, every row as it is (a doubled op shows up twice).</summary>
    private static async Task<List<(string ClientId, long Seq, long Version)>> ReadOpsAsync(StoaApi api, Guid doc, CancellationToken ct)
    {
        var ops = new List<(string ClientId, long Seq, long Version)>();
        long from = 0;
        for (var page = 0; page < 1000; page++)
        {
            var body = await api.ReadAsync($"/v1/docs/{doc}/ops?from={from}&limit=1000", ct);
            var items = body.GetProperty("ops").EnumerateArray().ToList();
            foreach (var op in items)
            {
                var version = op.GetProperty("version").GetInt64();
                ops.Add((op.GetProperty("clientId").GetString()!, op.GetProperty("seq").GetInt64(), version));
                from = Math.Max(from, version);
            }

            if (items.Count == 0 || from >= body.GetProperty("version").GetInt64())
            {
                break;
            }
        }

        return ops;
    }

    private static async Task<JsonElement?> TryReadAsync(StoaApi api, string path, string? token, CancellationToken ct)
    {
        try
        {
            return await api.ReadAsync(path, ct, token);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
