using Stoa.Client;
using Stoa.Ot;

namespace Stoa.Chaos;

/// <summary>Several <see cref="DocSession"/>s editing one document through haproxy, each inserting unique tokens.</summary>
internal sealed class DocEditors(Guid docId, IReadOnlyList<DocSession> sessions, WriteLog log) : IAsyncDisposable
{
    public Guid DocId => docId;

    public IReadOnlyList<DocSession> Sessions => sessions;

    public static async Task<DocEditors> OpenAsync(Guid docId, Uri server, Credentials credentials, int count, WriteLog log, CancellationToken ct)
    {
        var sessions = new List<DocSession>();
        for (var i = 0; i < count; i++)
        {
            var session = await DocSession.OpenAsync(docId, new DocSessionOptions
            {
                ServerAddress = () => server,
                ApiKey = credentials.ApiKey,
                AccessToken = () => credentials.UserToken,
                ClientId = $"chaos-{i}-{Guid.NewGuid():N}"[..24],
                MaxReconnectDelay = TimeSpan.FromSeconds(1),
            }, ct);
            var clientId = session.ClientId;
            session.Acknowledged += (seq, version) => log.DocAcks[(clientId, seq)] = (version, log.Phase);
            sessions.Add(session);
        }

        return new DocEditors(docId, sessions, log);
    }

    /// <summary>Every session inserts a token every <paramref name="interval"/> until the time is up.</summary>
    public Task EditAsync(TimeSpan duration, TimeSpan interval, CancellationToken ct) =>
        Task.WhenAll(sessions.Select((session, index) => EditLoopAsync(session, index, duration, interval, ct)));

    private async Task EditLoopAsync(DocSession session, int index, TimeSpan duration, TimeSpan interval, CancellationToken ct)
    {
        var end = DateTime.UtcNow + duration;
        for (var n = 0; DateTime.UtcNow < end && n < 100_000; n++)
        {
            var token = $"<{index}:{n}>";
            try
            {
                session.Edit(text =>
                {
                    // Tokens go at a token boundary (the start or after a '>'), so no token is ever split by another.
                    var boundaries = text.Select((c, i) => (c, i)).Where(p => p.c == '>').Select(p => p.i + 1).Prepend(0).ToArray();
                    return TextOp.Insert(boundaries[Random.Shared.Next(boundaries.Length)], token);
                });
            }
            catch (InvalidOperationException)
            {
                // The session failed for good; the verification reports it as not synchronized.
                return;
            }

            log.DocEdits.Add((token, log.Phase));
            await Task.Delay(interval, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in sessions)
        {
            await session.DisposeAsync();
        }
    }
}
