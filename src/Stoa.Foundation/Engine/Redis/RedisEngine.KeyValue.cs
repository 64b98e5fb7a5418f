namespace Stoa.Foundation.Engine.Redis;

public sealed partial class RedisEngine
{
    public async ValueTask<byte[]?> GetAsync(string key, CancellationToken cancellationToken) =>
        await _client.GetBytesAsync(key, cancellationToken);

    public async ValueTask SetAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        try
        {
            await _client.SetAsync(key, value, ttl, Stoa.Redis.SetCondition.Always, cancellationToken);
        }
        finally
        {
            Changed(key);
        }
    }

    public async ValueTask<bool> SetIfAbsentAsync(string key, ReadOnlyMemory<byte> value, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.SetAsync(key, value, ttl, Stoa.Redis.SetCondition.IfNotExists, cancellationToken);
        }
        finally
        {
            Changed(key);
        }
    }

    public async ValueTask<bool> SetIfNewerAsync(string key, long version, ReadOnlyMemory<byte> value, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await _client.ScriptEvaluateAsync(RedisEngineScripts.SetIfNewer, [key], [version, value, Ms(ttl)], cancellationToken);
            return reply.AsInt64() == 1;
        }
        finally
        {
            Changed(key);
        }
    }

    public async ValueTask<VersionedValue?> GetVersionedAsync(string key, CancellationToken cancellationToken)
    {
        var reply = await _client.ExecuteAsync("HMGET", [key, "v", "d"], cancellationToken);
        var items = reply.Items;
        if (items.Length != 2 || items[0].IsNull || items[1].IsNull)
        {
            return null;
        }

        return new VersionedValue(long.Parse(items[0].AsString()!, System.Globalization.CultureInfo.InvariantCulture), items[1].AsBytes()!);
    }

    public async ValueTask<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.DelAsync([key], cancellationToken) > 0;
        }
        finally
        {
            Changed(key);
        }
    }

    public async ValueTask<long> IncrementAsync(string key, long delta, TimeSpan? ttlWhenCreated, CancellationToken cancellationToken)
    {
        try
        {
            return (await _client.ScriptEvaluateAsync(RedisEngineScripts.Increment, [key], [delta, Ms(ttlWhenCreated)], cancellationToken)).AsInt64();
        }
        finally
        {
            Changed(key);
        }
    }
}
