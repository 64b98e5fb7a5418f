namespace Stoa.Quotes.Core;

/// <summary>
/// Whose quotes: the shared market (written by the feed, read by every app) or one app's own overrides (written by
/// its backend with PUT). The market uses the empty app id, which no real app has (app ids are random UUIDs), so its
/// engine keys keep the "every key starts with an app id" rule.
/// </summary>
internal static class QuoteScope
{
    public static readonly Guid Market = Guid.Empty;

    public static bool IsMarket(Guid scope) => scope == Market;
}
