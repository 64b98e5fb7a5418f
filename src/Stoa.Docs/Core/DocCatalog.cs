using Microsoft.Extensions.Options;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>Creating documents, reading them (the text, or the op log a page at a time) and managing who may open them.</summary>
internal sealed class DocCatalog(IDocStore store, DocSequencers sequencers, DocAccessControl access, StorageQuota quota, CommitFeed feed,
    IOptions<DocOptions> options)
{
    private readonly DocOptions _options = options.Value;

    /// <summary>
    /// A new document. Its creator picks who may open it (every user of the app by default); only the app's server
    /// token may also name members.
    /// </summary>
    public async Task<(Guid Id, DocSnapshot Snapshot, DocAccessRule Access)> CreateAsync(Caller caller, string? text, AccessMode mode,
        IReadOnlyCollection<string>? members, CancellationToken cancellationToken)
    {
        text ??= "";
        var length = CodePoints.CountIfValid(text);
        if (length < 0)
        {
            throw Validation.Failed("text", "must be valid Unicode text (no lone surrogate)");
        }

        if (length > _options.MaxDocumentLength)
        {
            throw DocErrors.TooLargeDoc(_options.MaxDocumentLength);
        }

        if (members is { Count: > 0 } && !caller.IsServer)
        {
            throw ServerOnly("name a document's members");
        }

        CheckMembers(members);
        await quota.CheckAsync(caller.AppId, cancellationToken);
        var id = Guid.NewGuid();
        var rule = new DocAccessRule(mode, caller.IsServer ? null : caller.UserId);
        await store.CreateAsync(caller.AppId, id, text, rule.CreatedBy, rule, cancellationToken);
        if (members is { Count: > 0 })
        {
            await store.SetAccessAsync(caller.AppId, id, mode, members, cancellationToken);
        }

        return (id, new DocSnapshot(0, text), rule);
    }

    /// <summary>The current text and version.</summary>
    public async Task<DocSnapshot> ReadAsync(Caller caller, Guid docId, CancellationToken cancellationToken)
    {
        await access.CheckAsync(caller, docId, cancellationToken);
        return await sequencers.For(caller.AppId, docId).ReadAsync(cancellationToken);
    }

    /// <summary>
    /// Ops after <paramref name="after"/>: at most <paramref name="limit"/>, and no more than
    /// <see cref="DocOptions.ReadPageBytes"/> of them (at least one), with the head version to page on to.
    /// </summary>
    public async Task<(IReadOnlyList<CommittedOp> Ops, long Head)> ReadOpsAsync(Caller caller, Guid docId, long after, int limit,
        CancellationToken cancellationToken)
    {
        await access.CheckAsync(caller, docId, cancellationToken);
        return await ReadOpsAsync(caller.AppId, docId, after, limit, cancellationToken);
    }

    /// <summary>The head version (404 <c>doc_not_found</c> when the document does not exist).</summary>
    public async Task<long> HeadAsync(Guid appId, Guid docId, CancellationToken cancellationToken) =>
        await store.GetHeadAsync(appId, docId, cancellationToken) ?? throw DocErrors.NotFound(docId);

    /// <summary>The same without the access check, for a socket that was let in already.</summary>
    public async Task<(IReadOnlyList<CommittedOp> Ops, long Head)> ReadOpsAsync(Guid appId, Guid docId, long after, int limit,
        CancellationToken cancellationToken)
    {
        var head = await HeadAsync(appId, docId, cancellationToken);
        if (after > head)
        {
            throw DocErrors.Ahead(after, head);
        }

        if (after == head)
        {
            return ([], head);
        }

        var ops = await store.GetOpsAsync(appId, docId, after, limit, _options.ReadPageBytes, cancellationToken);
        if (ops.Count == 0 || ops[0].Version != after + 1)
        {
            throw DocErrors.Compacted(after);
        }

        return (ops, head);
    }

    public async Task<(DocAccessRule Rule, IReadOnlyList<string> Members)> GetAccessAsync(Caller caller, Guid docId, CancellationToken cancellationToken)
    {
        if (!caller.IsServer)
        {
            throw ServerOnly("read a document's members");
        }

        var rule = await store.GetAccessAsync(caller.AppId, docId, cancellationToken) ?? throw DocErrors.NotFound(docId);
        return (rule, await store.GetMembersAsync(caller.AppId, docId, cancellationToken));
    }

    /// <summary>Replaces who may open the document; sockets that lose access are closed on every node.</summary>
    public async Task SetAccessAsync(Caller caller, Guid docId, AccessMode mode, IReadOnlyCollection<string> members, CancellationToken cancellationToken)
    {
        if (!caller.IsServer)
        {
            throw ServerOnly("change who may open a document");
        }

        CheckMembers(members);
        if (!await store.SetAccessAsync(caller.AppId, docId, mode, members, cancellationToken))
        {
            throw DocErrors.NotFound(docId);
        }

        access.Forget(caller.AppId, docId);
        await feed.AnnounceAccessChangedAsync(caller.AppId, docId, cancellationToken);
    }

    private void CheckMembers(IReadOnlyCollection<string>? members)
    {
        if (members is null)
        {
            return;
        }

        var validation = new Validation().Require(members.Count <= _options.MaxMembers, "members", $"may list at most {_options.MaxMembers} users");
        var index = 0;
        foreach (var member in members)
        {
            validation.Require(member is { Length: > 0 and <= 256 } && !member.Any(char.IsControl), $"members[{index}]",
                "must be a user id as tokens carry it (1 to 256 characters, no control character)");
            index++;
        }

        validation.ThrowIfInvalid();
    }

    private static ApiException ServerOnly(string what) => new(403, AuthErrors.ServerTokenRequired, $"Only the app's server token may {what}.");
}
