namespace Stoa.Quotes.Core;

/// <summary>The module's error codes: a public contract, never reused with another meaning.</summary>
internal static class QuoteErrors
{
    /// <summary>404: no quote is stored for the symbol (no feed covers it and the app never pushed one).</summary>
    public const string QuoteNotFound = "quote_not_found";

    /// <summary>400: a symbol is not 1–10 characters of A–Z, 0–9, '.' or '-'.</summary>
    public const string InvalidSymbol = "invalid_symbol";

    /// <summary>400: more symbols than one request may name.</summary>
    public const string TooManySymbols = "too_many_symbols";

    /// <summary>409: a quote with the same or a greater seq is already stored; the write was ignored.</summary>
    public const string QuoteSuperseded = "quote_superseded";
}
