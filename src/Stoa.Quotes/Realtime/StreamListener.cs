namespace Stoa.Quotes.Realtime;

/// <summary>One stream client as the hub sees it: whose it is, which symbols it wants, and its buffer.</summary>
internal sealed class StreamListener(Guid appId, IReadOnlyList<string> symbols)
{
    public Guid AppId { get; } = appId;

    public IReadOnlyList<string> SymbolList { get; } = symbols;

    public HashSet<string> Symbols { get; } = new(symbols, StringComparer.Ordinal);

    public LatestQuoteBuffer Buffer { get; } = new();
}
