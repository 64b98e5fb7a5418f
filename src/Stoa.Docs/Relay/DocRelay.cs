using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoa.Docs.Core;
using Stoa.Foundation.Realtime;

namespace Stoa.Docs.Relay;

/// <summary>
/// The node's open documents: one <see cref="DocChannel"/> (one realtime subscription) per document with at least
/// one local listener, shared by all of them and closed with the last.
/// </summary>
internal sealed class DocRelay(DocCatalog catalog, DocAccessControl access, RealtimeHub hub, IOptions<DocOptions> options, ILogger<DocRelay> logger)
    : IAsyncDisposable
{
    private readonly Dictionary<(Guid, Guid), DocChannel> _channels = [];

    public int OpenDocuments
    {
        get
        {
            lock (_channels)
            {
                return _channels.Count;
            }
        }
    }

    /// <summary>Bytes held by the open documents' channels (their recent ops), for the memory benchmark.</summary>
    public long ApproximateBytes
    {
        get
        {
            lock (_channels)
            {
                return _channels.Values.Sum(c => c.ApproximateBytes);
            }
        }
    }

    /// <summary>Opens (or shares) the channel of a document; release it with <see cref="ReleaseAsync"/>.</summary>
    public async Task<DocChannel> AcquireAsync(Guid appId, Guid docId)
    {
        DocChannel channel;
        lock (_channels)
        {
            if (!_channels.TryGetValue((appId, docId), out channel!))
            {
                channel = new DocChannel(appId, docId, catalog, access, hub, options.Value, logger);
                _channels[(appId, docId)] = channel;
                channel.Start();
            }

            channel.References++;
        }

        try
        {
            await channel.Ready;
            return channel;
        }
        catch
        {
            await ReleaseAsync(appId, docId, channel);
            throw;
        }
    }

    public async Task ReleaseAsync(Guid appId, Guid docId, DocChannel channel)
    {
        lock (_channels)
        {
            if (--channel.References > 0)
            {
                return;
            }

            if (_channels.TryGetValue((appId, docId), out var current) && ReferenceEquals(current, channel))
            {
                _channels.Remove((appId, docId));
            }
        }

        await channel.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        List<DocChannel> channels;
        lock (_channels)
        {
            channels = [.. _channels.Values];
            _channels.Clear();
        }

        foreach (var channel in channels)
        {
            await channel.DisposeAsync();
        }
    }
}
