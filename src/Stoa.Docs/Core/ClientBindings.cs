using Microsoft.Extensions.Caching.Memory;
using Stoa.Foundation.Auth;

namespace Stoa.Docs.Core;

/// <summary>
/// A client id belongs to the user who first used it on a document. Without this, any user of the app could submit
/// under another's client id (the victim's next op would be taken for a resend and never applied), receive the
/// victim's acks on a socket, or take over the victim's presence. A binding never changes, so this node remembers the
/// ones it has seen and asks the store only for new ones.
/// </summary>
internal sealed class ClientBindings(IDocStore store)
{
    private readonly MemoryCache _owners = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    /// <summary>Binds the client id to the caller, or refuses with 403 <c>client_id_taken</c> when another user has it.</summary>
    public async Task ClaimAsync(Caller caller, Guid docId, string clientId, CancellationToken cancellationToken)
    {
        var user = UserKey(caller);
        var key = (caller.AppId, docId, clientId);
        if (!_owners.TryGetValue(key, out string? owner))
        {
            owner = await store.BindClientAsync(caller.AppId, docId, clientId, user, cancellationToken);
            _owners.Set(key, owner, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromMinutes(10) });
        }

        if (!string.Equals(owner, user, StringComparison.Ordinal))
        {
            throw DocErrors.ClientIdOfAnotherUser(clientId);
        }
    }

    // The app's server token edits as its own party, whatever user id its token names.
    private static string UserKey(Caller caller) => caller.IsServer ? "server:" + caller.UserId : "user:" + caller.UserId;
}
