using System.Globalization;

namespace Stoa.Foundation.Engine.Memory;

public sealed partial class MemoryEngine
{
    private long _lastLogMs;
    private long _lastLogSeq;

    public ValueTask<string> AppendAsync(string key, ReadOnlyMemory<byte> entry, int maxLength, TimeSpan ttl, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // Redis stream ids: milliseconds, then a sequence within the millisecond, so that both engines' ids look alike.
            var now = Now;
            (_lastLogMs, _lastLogSeq) = now > _lastLogMs ? (now, 0) : (_lastLogMs, _lastLogSeq + 1);
            var id = _lastLogMs.ToString(CultureInfo.InvariantCulture) + "-" + _lastLogSeq.ToString(CultureInfo.InvariantCulture);

            var existing = Find(key);
            var log = existing?.Log ?? new List<EventLogEntry>();
            log.Add(new EventLogEntry(id, entry.ToArray()));
            if (log.Count > maxLength)
            {
                log.RemoveRange(0, log.Count - maxLength);
            }

            if (existing is null)
            {
                Store(key, new Entry { Log = log, ExpiresAt = ExpiryFor(ttl) });
            }
            else
            {
                existing.ExpiresAt = ExpiryFor(ttl);
                Changed(key);
            }

            return ValueTask.FromResult(id);
        }
    }

    public ValueTask<EventLogRead> ReadAfterAsync(string key, string afterId, int count, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var log = Find(key)?.Log;
            var at = log?.FindIndex(e => e.Id == afterId) ?? -1;
            if (at < 0)
            {
                return ValueTask.FromResult(new EventLogRead(false, []));
            }

            return ValueTask.FromResult(new EventLogRead(true, log!.Skip(at + 1).Take(count).ToList()));
        }
    }
}
