namespace Stoa.Quotes.Core;

/// <summary>
/// A source of market quotes. Exactly one node runs it at a time (the feed leader); <see cref="RunAsync"/> runs
/// until the token is cancelled, which happens as soon as the node is no longer sure to be the leader.
/// </summary>
internal interface IQuoteFeed
{
    string Name { get; }

    Task RunAsync(CancellationToken leadership);
}
