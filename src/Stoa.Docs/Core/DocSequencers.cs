using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Stoa.Docs.Core;

/// <summary>What every sequencer of the node shares.</summary>
internal sealed record SequencerContext(IDocStore Store, CommitFeed Feed, StorageQuota Quota, DocOptions Options, DocMetrics Metrics,
    ILogger Logger, Action<long> Resized);

/// <summary>
/// This node's sequencers, one per document it recently served. What they hold (text and recent ops) is capped in bytes
/// (<see cref="DocOptions.MaxCachedBytes"/>): past it, the least recently used idle ones are dropped, and load again
/// from the store when next used.
/// </summary>
internal sealed class DocSequencers
{
    private readonly ConcurrentDictionary<(Guid, Guid), DocSequencer> _sequencers = new();
    private readonly SequencerContext _context;
    private readonly long _maxBytes;
    private long _bytes;
    private long _clock;
    private int _evicting;

    public DocSequencers(IDocStore store, CommitFeed feed, StorageQuota quota, IOptions<DocOptions> options, DocMetrics metrics,
        ILogger<DocSequencer> logger)
    {
        _maxBytes = options.Value.MaxCachedBytes;
        _context = new SequencerContext(store, feed, quota, options.Value, metrics, logger, delta => Interlocked.Add(ref _bytes, delta));
    }

    /// <summary>Bytes the sequencers hold, as they estimate them.</summary>
    public long ApproximateBytes => Interlocked.Read(ref _bytes);

    public int Count => _sequencers.Count;

    public DocSequencer For(Guid appId, Guid docId)
    {
        var sequencer = _sequencers.GetOrAdd((appId, docId), static (key, context) => new DocSequencer(key.Item1, key.Item2, context), _context);
        sequencer.LastUsed = Interlocked.Increment(ref _clock);
        if (ApproximateBytes > _maxBytes && Interlocked.CompareExchange(ref _evicting, 1, 0) == 0)
        {
            try
            {
                Evict();
            }
            finally
            {
                Volatile.Write(ref _evicting, 0);
            }
        }

        return sequencer;
    }

    private void Evict()
    {
        // Down to three quarters, oldest first; a busy one stays (its submits hold it) and is reconsidered next time.
        foreach (var sequencer in _sequencers.Values.Where(s => !s.IsBusy).OrderBy(s => s.LastUsed).ToList())
        {
            if (ApproximateBytes <= _maxBytes * 3 / 4)
            {
                return;
            }

            if (!sequencer.IsBusy && _sequencers.TryRemove(new KeyValuePair<(Guid, Guid), DocSequencer>((sequencer.AppId, sequencer.DocId), sequencer)))
            {
                Interlocked.Add(ref _bytes, -sequencer.AccountedBytes);
            }
        }
    }
}
