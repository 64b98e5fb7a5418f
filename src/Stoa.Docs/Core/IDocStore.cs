namespace Stoa.Docs.Core;

/// <summary>What the docs module needs from durable storage. Every call is scoped to one app.</summary>
internal interface IDocStore
{
    /// <summary>Creates a document with its version 0 snapshot and its access rule.</summary>
    Task CreateAsync(Guid appId, Guid docId, string text, string? createdBy, DocAccessRule access, CancellationToken cancellationToken);

    /// <summary>Who may open the document, or null when it does not exist.</summary>
    Task<DocAccessRule?> GetAccessAsync(Guid appId, Guid docId, CancellationToken cancellationToken);

    /// <summary>Replaces the document's access rule and member list; false when it does not exist.</summary>
    Task<bool> SetAccessAsync(Guid appId, Guid docId, AccessMode mode, IReadOnlyCollection<string> members, CancellationToken cancellationToken);

    /// <summary>The users the app's backend listed for the document.</summary>
    Task<IReadOnlyList<string>> GetMembersAsync(Guid appId, Guid docId, CancellationToken cancellationToken);

    Task<bool> IsMemberAsync(Guid appId, Guid docId, string userId, CancellationToken cancellationToken);

    /// <summary>
    /// Binds the client id to <paramref name="userKey"/> on this document unless it is bound already; returns the user
    /// it is bound to (the first to use it).
    /// </summary>
    Task<string> BindClientAsync(Guid appId, Guid docId, string clientId, string userKey, CancellationToken cancellationToken);

    /// <summary>The newest snapshot, or null when the document does not exist.</summary>
    Task<DocSnapshot?> GetSnapshotAsync(Guid appId, Guid docId, CancellationToken cancellationToken);

    /// <summary>
    /// Ops after <paramref name="after"/> in version order: at most <paramref name="maxCount"/>, and no more after the
    /// first whose stored bytes reach <paramref name="maxBytes"/> together (the first op is always returned).
    /// </summary>
    Task<IReadOnlyList<CommittedOp>> GetOpsAsync(Guid appId, Guid docId, long after, int maxCount, long maxBytes, CancellationToken cancellationToken);

    /// <summary>The highest committed version (0 for a new document), or null when the document does not exist.</summary>
    Task<long?> GetHeadAsync(Guid appId, Guid docId, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts consecutive ops in one transaction, all or none: none when a version or a (client, seq) is taken. Adds
    /// their stored bytes to the document's usage; returns them with the outcome.
    /// </summary>
    Task<(InsertOutcome Outcome, long Bytes)> TryInsertOpsAsync(Guid appId, Guid docId, IReadOnlyList<CommittedOp> ops, CancellationToken cancellationToken);

    /// <summary>The version of the op this user's client committed with this seq, if any.</summary>
    Task<long?> FindVersionAsync(Guid appId, Guid docId, string? userId, string clientId, long seq, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a snapshot (one already at that version is kept), then deletes what it makes unnecessary: older
    /// snapshots, and the ops at or before both it and <paramref name="keepOpsAfter"/>. Returns the bytes added
    /// (minus those freed).
    /// </summary>
    Task<long> SaveSnapshotAsync(Guid appId, Guid docId, DocSnapshot snapshot, long keepOpsAfter, CancellationToken cancellationToken);

    /// <summary>Bytes of op log and snapshots the app's documents hold.</summary>
    Task<long> GetAppUsageAsync(Guid appId, CancellationToken cancellationToken);
}

internal enum InsertOutcome
{
    Inserted,

    /// <summary>Another writer committed this version first: catch up and transform again.</summary>
    VersionTaken,

    /// <summary>This client's op with this seq is already committed.</summary>
    DuplicateSeq,
}
