using System.Globalization;

namespace Stoa.Foundation.Engine.Redis;

public sealed partial class RedisEngine
{
    public async ValueTask<Lease?> TryAcquireAsync(string key, TimeSpan ttl, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid().ToString("N");
        return await _client.SetAsync(key, token, ttl, Stoa.Redis.SetCondition.IfNotExists, cancellationToken) ? new Lease(key, token) : null;
    }

    public async ValueTask<bool> RenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken) =>
        (await _client.ScriptEvaluateAsync(RedisEngineScripts.RenewLease, [lease.Key], [lease.Token, Ms(ttl)], cancellationToken)).AsInt64() == 1;

    public async ValueTask<bool> ReleaseAsync(Lease lease, CancellationToken cancellationToken) =>
        (await _client.ScriptEvaluateAsync(RedisEngineScripts.ReleaseLease, [lease.Key], [lease.Token], cancellationToken)).AsInt64() == 1;

    public async ValueTask<RateLimitDecision> TryTakeAsync(string key, RateLimitPolicy policy, int cost, CancellationToken cancellationToken)
    {
        var reply = await _client.ScriptEvaluateAsync(RedisEngineScripts.TakeTokens, [key],
            [policy.Capacity, policy.TokensPerSecond.ToString("R", CultureInfo.InvariantCulture), cost, (long)policy.FullRefill.TotalMilliseconds],
            cancellationToken);
        var items = reply.Items;
        return new RateLimitDecision(items[0].AsInt64() == 1, items[1].AsInt64(), TimeSpan.FromMilliseconds(items[2].AsInt64()));
    }
}
