namespace Stoa.Docs.Core;

/// <summary>What the docs module needs from durable storage. Every call is scoped to one app.</summary>
internal interface IDocStore
{
    /// <summary>Creates a document with its version 0 snapshot.</summary>
    Task CreateAsync(Guid appId, Guid docId, string text, string? createdBy, CancellationToken cancellationToken);

    Task<bool> ExistsAsync(Guid appId, Guid docId, CancellationToken cancellationToken);

    /// <summary>The newest snapshot at or before <paramref name="atOrBefore"/>, or null when the document does not exist.</summary>
    Task<DocSnapshot?> GetSnapshotAsync(Guid appId, Guid docId, long atOrBefore, CancellationToken cancellationToken);

    /// <summary>Ops with version in (<paramref name="after"/>, <paramref name="after"/> + <paramref name="limit"/>], in version order.</summary>
    Task<IReadOnlyList<CommittedOp>> GetOpsAsync(Guid appId, Guid docId, long after, int limit, CancellationToken cancellationToken);

    /// <summary>The highest committed version (0 for a new document), or null when the document does not exist.</summary>
    Task<long?> GetHeadAsync(Guid appId, Guid docId, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts consecutive ops in one transaction, all or none: none when a version or a (client, seq) is taken.
    /// </summary>
    Task<InsertOutcome> TryInsertOpsAsync(Guid appId, Guid docId, IReadOnlyList<CommittedOp> ops, CancellationToken cancellationToken);

    /// <summary>The version of the op committed with this client id and seq, if any.</summary>
    Task<long?> FindVersionAsync(Guid appId, Guid docId, string clientId, long seq, CancellationToken cancellationToken);

    /// <summary>Stores a snapshot; a snapshot already at that version is kept.</summary>
    Task SaveSnapshotAsync(Guid appId, Guid docId, DocSnapshot snapshot, CancellationToken cancellationToken);
}

internal enum InsertOutcome
{
    Inserted,

    /// <summary>Another writer committed this version first: catch up and transform again.</summary>
    VersionTaken,

    /// <summary>This client's op with this seq is already committed.</summary>
    DuplicateSeq,
}
