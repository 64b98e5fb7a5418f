using Microsoft.Extensions.Caching.Memory;
using Stoa.Foundation.Auth;

namespace Stoa.Docs.Core;

/// <summary>
/// Decides who may open a document, for REST and sockets alike: the app's server token always; under
/// <see cref="AccessMode.App"/> every user of the app; under <see cref="AccessMode.Members"/> the creator and the users
/// the app's backend listed. Rules and answers are cached briefly; a change clears this node's cache at once and the
/// other nodes' through the document's topic (their relays also close the sockets that lost access).
/// </summary>
internal sealed class DocAccessControl(IDocStore store)
{
    private static readonly TimeSpan s_ttl = TimeSpan.FromSeconds(30);

    // Entries are small (a rule, or one user's answer): the limit counts them.
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    /// <summary>The document's rule when the caller may open it; 404 <c>doc_not_found</c> or 403 <c>doc_forbidden</c> otherwise.</summary>
    public async Task<DocAccessRule> CheckAsync(Caller caller, Guid docId, CancellationToken cancellationToken)
    {
        var rule = await RuleAsync(caller.AppId, docId, cancellationToken) ?? throw DocErrors.NotFound(docId);
        if (!await AllowsAsync(caller, docId, rule, cancellationToken))
        {
            throw DocErrors.Forbidden(docId);
        }

        return rule;
    }

    /// <summary>Whether the rule lets the caller in (a member list is asked only for members-only documents).</summary>
    public async Task<bool> AllowsAsync(Caller caller, Guid docId, DocAccessRule rule, CancellationToken cancellationToken)
    {
        if (caller.IsServer || rule.Mode == AccessMode.App)
        {
            return true;
        }

        if (caller.UserId is not { } userId)
        {
            return false;
        }

        if (string.Equals(rule.CreatedBy, userId, StringComparison.Ordinal))
        {
            return true;
        }

        var key = (caller.AppId, docId, userId);
        if (_cache.TryGetValue(key, out bool member))
        {
            return member;
        }

        member = await store.IsMemberAsync(caller.AppId, docId, userId, cancellationToken);
        _cache.Set(key, member, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = s_ttl });
        return member;
    }

    public async Task<DocAccessRule?> RuleAsync(Guid appId, Guid docId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue((appId, docId), out DocAccessRule? rule))
        {
            return rule;
        }

        // A missing document is not remembered: it may be created on another node a moment later.
        rule = await store.GetAccessAsync(appId, docId, cancellationToken);
        if (rule is not null)
        {
            _cache.Set((appId, docId), rule, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = s_ttl });
        }

        return rule;
    }

    /// <summary>Forgets the document's rule and every user's answer for it (the rule or the member list changed).</summary>
    public void Forget(Guid appId, Guid docId)
    {
        _cache.Remove((appId, docId));

        // Member answers are keyed by user; dropping them all for one document means a compaction of the cache's keys.
        foreach (var key in _cache.Keys)
        {
            if (key is (Guid app, Guid doc, string) && app == appId && doc == docId)
            {
                _cache.Remove(key);
            }
        }
    }
}
