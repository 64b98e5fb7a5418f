using System.Net;

namespace Stoa.Previews.Fetching;

/// <summary>
/// Resolves a host name to addresses. Injectable so tests can make a name resolve to a forbidden address without DNS;
/// every address returned is checked before any connection is made, and the connection goes to a checked address.
/// </summary>
internal interface IHostResolver
{
    /// <summary>The host's addresses; throws (e.g. <see cref="System.Net.Sockets.SocketException"/>) when it has none.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
