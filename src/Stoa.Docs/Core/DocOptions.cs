namespace Stoa.Docs.Core;

/// <summary>
/// <c>Stoa:Docs</c>: the module's limits and tuning. Whatever a client can make the node hold is capped in bytes:
/// the documents kept in memory, each document's window of recent ops, each read page and each socket's queue.
/// </summary>
internal sealed class DocOptions
{
    public const string Section = "Stoa:Docs";

    private const int MiB = 1024 * 1024;

    /// <summary>Largest document, in code points (<c>doc_too_large</c>, 422, past it).</summary>
    public int MaxDocumentLength { get; set; } = 1_000_000;

    /// <summary>Most code points one op may insert or delete-with-text (<c>op_too_large</c>, 413, past it), before and after transform.</summary>
    public int MaxOpLength { get; set; } = 65_536;

    /// <summary>Most components in one op (<c>op_too_large</c>, 413, past it), before and after transform.</summary>
    public int MaxOpComponents { get; set; } = 1_000;

    /// <summary>A snapshot is written every this many versions, so a cold read replays at most this many ops.</summary>
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>
    /// How far behind the head an op may be (older clients must fetch the document again), and the op log's retention:
    /// a document keeps its newest snapshot and at least this many ops before its head; older ops are deleted.
    /// </summary>
    public int MaxVersionLag { get; set; } = 10_000;

    /// <summary>Sustained ops per second per user (token bucket, shared by every node).</summary>
    public double OpsPerSecond { get; set; } = 50;

    /// <summary>Burst of ops per user.</summary>
    public int OpsBurst { get; set; } = 200;

    /// <summary>Bytes of document text and recent ops a node keeps in memory for fast submits; least recently used go first.</summary>
    public long MaxCachedBytes { get; set; } = 256L * MiB;

    /// <summary>Bytes of recent ops each open document keeps in memory, for transforms and for sockets that rejoin.</summary>
    public int RecentOpsBytes { get; set; } = 1 * MiB;

    /// <summary>Most bytes of ops in one <c>GET /ops</c> page or one step of a socket's catch-up (always at least one op).</summary>
    public int ReadPageBytes { get; set; } = 1 * MiB;

    /// <summary>Messages queued for one WebSocket before it is closed as too slow (it reconnects and catches up).</summary>
    public int SocketQueueLength { get; set; } = 4_096;

    /// <summary>Bytes queued for one WebSocket before it is closed as too slow.</summary>
    public int SocketQueueBytes { get; set; } = 8 * MiB;

    /// <summary>Messages per second one socket may send (ops, cursor moves, pings); past it they are dropped with an error.</summary>
    public double SocketMessagesPerSecond { get; set; } = 50;

    /// <summary>Burst of messages one socket may send.</summary>
    public int SocketMessageBurst { get; set; } = 100;

    /// <summary>Cursor moves per second one socket's watchers receive; faster moves are coalesced to the latest position.</summary>
    public double CursorMovesPerSecond { get; set; } = 10;

    /// <summary>Bytes of op log and snapshots each app may store (<c>storage_quota_exceeded</c>, 403, past it).</summary>
    public long AppStorageQuotaBytes { get; set; } = 1024L * MiB;

    /// <summary>Most users one document's member list may hold.</summary>
    public int MaxMembers { get; set; } = 1_000;

    /// <summary>
    /// Seconds between a node's repeats of who is connected to it, per open document. Other nodes forget a client
    /// after three repeats without it (its node crashed), and learn of clients that joined before they opened the
    /// document within one.
    /// </summary>
    public double PresenceHeartbeatSeconds { get; set; } = 10;

    /// <summary>
    /// Every problem with the settings, each naming its key: a zero or negative limit would refuse every op or stop a
    /// timer at its first tick, so start-up stops instead.
    /// </summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        Check(errors, nameof(MaxDocumentLength), MaxDocumentLength, 1, 100_000_000);
        Check(errors, nameof(MaxOpLength), MaxOpLength, 1, 100_000_000);
        Check(errors, nameof(MaxOpComponents), MaxOpComponents, 1, 1_000_000);
        Check(errors, nameof(SnapshotEvery), SnapshotEvery, 1, 1_000_000);
        Check(errors, nameof(MaxVersionLag), MaxVersionLag, 1, 100_000_000);
        Check(errors, nameof(OpsBurst), OpsBurst, 1, 1_000_000);
        Check(errors, nameof(MaxCachedBytes), MaxCachedBytes, MiB, long.MaxValue);
        Check(errors, nameof(RecentOpsBytes), RecentOpsBytes, 64 * 1024, int.MaxValue);
        Check(errors, nameof(ReadPageBytes), ReadPageBytes, 64 * 1024, int.MaxValue);
        Check(errors, nameof(SocketQueueLength), SocketQueueLength, 1, 1_000_000);
        Check(errors, nameof(SocketQueueBytes), SocketQueueBytes, MiB, int.MaxValue);
        Check(errors, nameof(SocketMessageBurst), SocketMessageBurst, 1, 1_000_000);
        Check(errors, nameof(AppStorageQuotaBytes), AppStorageQuotaBytes, MiB, long.MaxValue);
        Check(errors, nameof(MaxMembers), MaxMembers, 1, 1_000_000);
        CheckRate(errors, nameof(OpsPerSecond), OpsPerSecond);
        CheckRate(errors, nameof(SocketMessagesPerSecond), SocketMessagesPerSecond);
        CheckRate(errors, nameof(CursorMovesPerSecond), CursorMovesPerSecond);
        if (PresenceHeartbeatSeconds is not (> 0 and <= 3600))
        {
            errors.Add($"{Section}:{nameof(PresenceHeartbeatSeconds)}: must be a number of seconds more than 0 and at most 3600 (it is {PresenceHeartbeatSeconds}).");
        }

        return errors;
    }

    private static void Check(List<string> errors, string key, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{Section}:{key}: must be between {min} and {max} (it is {value}).");
        }
    }

    private static void CheckRate(List<string> errors, string key, double value)
    {
        if (value is not (> 0 and <= 1_000_000))
        {
            errors.Add($"{Section}:{key}: must be more than 0 and at most 1000000 (it is {value}).");
        }
    }
}
