namespace Stoa.Redis;

/// <summary>
/// Subscriptions that were made again after they had lapsed (a reconnect, a failover, a slot that moved to another
/// shard): messages published to them between the loss and the moment this is raised may have been lost, so a
/// consumer that needs every message resynchronises these channels from its source of truth.
/// </summary>
/// <param name="Channels">The channels made again (sharded ones when <paramref name="Sharded"/>).</param>
/// <param name="Patterns">The patterns made again (never for sharded subscriptions).</param>
/// <param name="Sharded">True for SSUBSCRIBE channels, false for SUBSCRIBE channels and PSUBSCRIBE patterns.</param>
public sealed record RedisSubscriptionGap(IReadOnlyList<string> Channels, IReadOnlyList<string> Patterns, bool Sharded);
