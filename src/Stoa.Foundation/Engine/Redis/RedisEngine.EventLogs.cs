using System.Globalization;

namespace Stoa.Foundation.Engine.Redis;

public sealed partial class RedisEngine
{
    public async ValueTask<string> AppendAsync(string key, ReadOnlyMemory<byte> entry, int maxLength, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var reply = await _client.ScriptEvaluateAsync(RedisEngineScripts.AppendToLog, [key],
            [maxLength.ToString(CultureInfo.InvariantCulture), entry, Ms(ttl)], cancellationToken);
        return reply.AsString()!;
    }

    public async ValueTask<EventLogRead> ReadAfterAsync(string key, string afterId, int count, CancellationToken cancellationToken)
    {
        if (!EventIds.IsWellFormed(afterId))
        {
            return new EventLogRead(false, []);
        }

        // The range starts at afterId itself: finding it first proves nothing after it was trimmed away.
        var reply = await _client.ExecuteAsync("XRANGE", [key, afterId, "+", "COUNT", count + 1], cancellationToken);
        var items = reply.Items;
        if (items.Length == 0 || items[0].Items[0].AsString() != afterId)
        {
            return new EventLogRead(false, []);
        }

        var entries = new List<EventLogEntry>(items.Length - 1);
        for (var i = 1; i < items.Length; i++)
        {
            var fields = items[i].Items[1].Items;
            entries.Add(new EventLogEntry(items[i].Items[0].AsString()!, fields.Length >= 2 ? fields[1].AsBytes() ?? [] : []));
        }

        return new EventLogRead(true, entries);
    }
}
