using Stoa.Redis;

namespace Stoa.Foundation.Engine.Redis;

/// <summary>The Lua scripts that make multi-step engine operations atomic on Redis (one round trip each).</summary>
internal static class RedisEngineScripts
{
    /// <summary>KEYS[1] hash {v, d}; ARGV: version, value, ttl ms (0 = none). Writes only a newer version.</summary>
    public static readonly RedisScript SetIfNewer = new("""
        local current = redis.call('HGET', KEYS[1], 'v')
        if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
        redis.call('HSET', KEYS[1], 'v', ARGV[1], 'd', ARGV[2])
        if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) else redis.call('PERSIST', KEYS[1]) end
        return 1
        """);

    /// <summary>KEYS[1] counter; ARGV: delta, ttl ms when created (0 = none). Returns the new value.</summary>
    public static readonly RedisScript Increment = new("""
        local existed = redis.call('EXISTS', KEYS[1])
        local value = redis.call('INCRBY', KEYS[1], ARGV[1])
        if existed == 0 and tonumber(ARGV[2]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return value
        """);

    /// <summary>
    /// KEYS[1] version hash, KEYS[2..] sorted sets; ARGV: field, version, then (key index, member, score or '')
    /// triples. Applies the changes only if the version is newer than the recorded one.
    /// </summary>
    public static readonly RedisScript ApplyIfNewer = new("""
        local current = redis.call('HGET', KEYS[1], ARGV[1])
        if current and tonumber(current) >= tonumber(ARGV[2]) then return 0 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        local i = 3
        while i <= #ARGV do
          local key = KEYS[tonumber(ARGV[i])]
          if ARGV[i + 2] == '' then redis.call('ZREM', key, ARGV[i + 1]) else redis.call('ZADD', key, ARGV[i + 2], ARGV[i + 1]) end
          i = i + 3
        end
        return 1
        """);

    /// <summary>KEYS[1] stream; ARGV: max length, entry, ttl ms. Appends, trims to the length, renews the expiry; returns the id.</summary>
    public static readonly RedisScript AppendToLog = new("""
        local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'd', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return id
        """);

    /// <summary>KEYS[1] lease; ARGV: token, ttl ms. Extends only the holder's lease.</summary>
    public static readonly RedisScript RenewLease = new("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return 0
        """);

    /// <summary>KEYS[1] lease; ARGV: token. Deletes only the holder's lease.</summary>
    public static readonly RedisScript ReleaseLease = new("""
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """);

    /// <summary>
    /// Token bucket. KEYS[1] hash {t tokens, ts ms}; ARGV: capacity, tokens/s, cost, idle ttl ms. Uses the server's
    /// clock so that nodes with skewed clocks share one bucket correctly. Returns {allowed, remaining, wait ms}.
    /// Same arithmetic as <see cref="Memory.BucketMath"/>.
    /// </summary>
    public static readonly RedisScript TakeTokens = new("""
        local capacity = tonumber(ARGV[1])
        local rate = tonumber(ARGV[2])
        local cost = tonumber(ARGV[3])
        local clock = redis.call('TIME')
        local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local state = redis.call('HMGET', KEYS[1], 't', 'ts')
        local tokens = tonumber(state[1])
        local refilled = tonumber(state[2])
        if tokens == nil or refilled == nil then tokens = capacity; refilled = now end
        tokens = math.min(capacity, tokens + math.max(0, now - refilled) / 1000 * rate)
        local allowed = 0
        local wait = 0
        if tokens >= cost then
          tokens = tokens - cost
          allowed = 1
        else
          wait = math.ceil((cost - tokens) / rate * 1000)
        end
        redis.call('HSET', KEYS[1], 't', tostring(tokens), 'ts', tostring(now))
        redis.call('PEXPIRE', KEYS[1], ARGV[4])
        return {allowed, math.floor(tokens), wait}
        """);
}
