namespace Stoa.Quotes.Core;

/// <summary>
/// The latest price of one symbol. <see cref="Seq"/> orders the writes of one source: a quote replaces the stored one
/// only if its seq is greater, so a late, older tick never overwrites a newer one.
/// </summary>
internal sealed record Quote(
    string Symbol,
    decimal Price,
    string Currency,
    decimal? Change,
    decimal? ChangePercent,
    DateTimeOffset At,
    long Seq,
    string Source);
