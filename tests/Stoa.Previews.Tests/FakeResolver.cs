using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Stoa.Previews.Fetching;

namespace Stoa.Previews.Tests;

/// <summary>DNS for tests: a fixed table, and a record of every name asked, so no test ever reaches real DNS.</summary>
internal sealed class FakeResolver : IHostResolver
{
    private readonly Dictionary<string, IPAddress[]> _table = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<string> Lookups { get; } = new();

    public FakeResolver Map(string host, params string[] addresses)
    {
        _table[host] = [.. addresses.Select(IPAddress.Parse)];
        return this;
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Lookups.Enqueue(host);
        return _table.TryGetValue(host, out var addresses)
            ? Task.FromResult(addresses)
            : Task.FromException<IPAddress[]>(new SocketException((int)SocketError.HostNotFound));
    }
}
