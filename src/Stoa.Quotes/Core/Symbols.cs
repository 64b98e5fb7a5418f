using Stoa.Foundation.Errors;

namespace Stoa.Quotes.Core;

/// <summary>Ticker symbols: 1–10 characters of A–Z, 0–9, '.' and '-', compared upper case ("brk.b" is "BRK.B").</summary>
internal static class Symbols
{
    public const int MaxLength = 10;

    /// <summary>What <see cref="TryNormalize"/> accepts, for the OpenAPI document.</summary>
    public const string Pattern = "^[A-Za-z0-9.-]{1,10}$";

    /// <summary>A comma-separated list of symbols (spaces around commas are ignored), for the OpenAPI document.</summary>
    public const string ListPattern = "^ *[A-Za-z0-9.-]{1,10} *( *, *[A-Za-z0-9.-]{1,10} *)* *$";

    public static bool TryNormalize(string? text, out string symbol)
    {
        symbol = "";
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength)
        {
            return false;
        }

        Span<char> upper = stackalloc char[text.Length];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is >= 'a' and <= 'z')
            {
                c = (char)(c - 32);
            }

            if (c is not ((>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '-'))
            {
                return false;
            }

            upper[i] = c;
        }

        // Already upper case (the hot path: GET /v1/quotes/AAPL) keeps the caller's string.
        symbol = upper.SequenceEqual(text) ? text : new string(upper);
        return true;
    }

    /// <summary>Normalises one symbol or throws 400 <c>invalid_symbol</c>.</summary>
    public static string Parse(string? text) =>
        TryNormalize(text, out var symbol) ? symbol : throw Invalid(text);

    /// <summary>A comma-separated list: normalised, de-duplicated, in order; 400 when empty, malformed or longer than <paramref name="max"/>.</summary>
    public static IReadOnlyList<string> ParseList(string? text, int max) =>
        ParseList((text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), max);

    /// <summary>The same rules for symbols given one by one (gRPC's repeated field): blank entries are skipped as empty list items are.</summary>
    public static IReadOnlyList<string> ParseList(IReadOnlyList<string> given, int max)
    {
        var parts = given.Select(part => part.Trim()).Where(part => part.Length > 0).ToList();
        if (parts.Count == 0)
        {
            throw new ApiException(400, QuoteErrors.InvalidSymbol, "Name at least one symbol: symbols=AAPL,MSFT.");
        }

        var result = new List<string>(parts.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            var symbol = Parse(part);
            if (seen.Add(symbol))
            {
                result.Add(symbol);
            }
        }

        if (result.Count > max)
        {
            throw new ApiException(400, QuoteErrors.TooManySymbols, $"At most {max} symbols per request.");
        }

        return result;
    }

    private static ApiException Invalid(string? text) =>
        new(400, QuoteErrors.InvalidSymbol,
            $"'{Truncate(text)}' is not a symbol: use 1 to {MaxLength} characters of A-Z, 0-9, '.' and '-'.");

    private static string Truncate(string? text) => text is null ? "" : text.Length <= 20 ? text : text[..20] + "…";
}
