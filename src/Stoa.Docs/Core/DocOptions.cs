namespace Stoa.Docs.Core;

/// <summary><c>Stoa:Docs</c>: the module's limits and tuning.</summary>
internal sealed class DocOptions
{
    public const string Section = "Stoa:Docs";

    /// <summary>Largest document, in code points (<c>doc_too_large</c>, 422, past it).</summary>
    public int MaxDocumentLength { get; set; } = 1_000_000;

    /// <summary>Most code points one op may insert or delete-with-text (<c>op_too_large</c>, 413, past it).</summary>
    public int MaxOpLength { get; set; } = 65_536;

    /// <summary>Most components in one op (<c>op_too_large</c>, 413, past it).</summary>
    public int MaxOpComponents { get; set; } = 1_000;

    /// <summary>A snapshot is written every this many versions, so a cold read replays at most this many ops.</summary>
    public int SnapshotEvery { get; set; } = 100;

    /// <summary>How far behind the head an op may be; older clients must fetch the document again.</summary>
    public int MaxVersionLag { get; set; } = 10_000;

    /// <summary>Sustained ops per second per user (token bucket, shared by every node).</summary>
    public double OpsPerSecond { get; set; } = 50;

    /// <summary>Burst of ops per user.</summary>
    public int OpsBurst { get; set; } = 200;

    /// <summary>Documents whose text this node keeps in memory for fast submits; least recently used go first.</summary>
    public int MaxCachedDocs { get; set; } = 10_000;

    /// <summary>Messages queued for one WebSocket before it is closed as too slow (it reconnects and catches up).</summary>
    public int SocketQueueLength { get; set; } = 4_096;

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
        Check(errors, nameof(MaxCachedDocs), MaxCachedDocs, 1, 10_000_000);
        Check(errors, nameof(SocketQueueLength), SocketQueueLength, 1, 1_000_000);
        if (OpsPerSecond is not (> 0 and <= 1_000_000))
        {
            errors.Add($"{Section}:{nameof(OpsPerSecond)}: must be more than 0 and at most 1000000 (it is {OpsPerSecond}).");
        }

        if (PresenceHeartbeatSeconds is not (> 0 and <= 3600))
        {
            errors.Add($"{Section}:{nameof(PresenceHeartbeatSeconds)}: must be a number of seconds more than 0 and at most 3600 (it is {PresenceHeartbeatSeconds}).");
        }

        return errors;
    }

    private static void Check(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{Section}:{key}: must be between {min} and {max} (it is {value}).");
        }
    }
}
