using System.Globalization;
using System.Text.Json;

namespace Stoa.Quotes.Feeds;

/// <summary>Reads the configured fields out of a provider's JSON by dotted paths (<c>data.0.price</c>).</summary>
internal sealed class JsonFieldMapper(HttpFeedOptions options)
{
    public ProviderQuote Map(JsonElement root)
    {
        var price = Decimal(root, options.Price)
            ?? throw new ProviderGarbageException($"No number at '{options.Price}' in the provider's answer.");
        if (price <= 0)
        {
            throw new ProviderGarbageException($"The price at '{options.Price}' is not positive.");
        }

        var currency = options.CurrencyField is { } field && Find(root, field) is { ValueKind: JsonValueKind.String } c
            ? c.GetString()!.ToUpperInvariant()
            : options.Currency;
        return new ProviderQuote(price, Decimal(root, options.Change), Decimal(root, options.ChangePercent), Time(root), currency);
    }

    private DateTimeOffset? Time(JsonElement root)
    {
        if (options.Time is null || Find(root, options.Time) is not { } value)
        {
            return null;
        }

        try
        {
            return options.TimeFormat switch
            {
                "iso8601" when value.ValueKind == JsonValueKind.String => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
                "unix-ms" => DateTimeOffset.FromUnixTimeMilliseconds(checked((long)Number(value, options.Time))),
                "unix-s" => DateTimeOffset.FromUnixTimeSeconds(checked((long)Number(value, options.Time))),
                _ => throw new ProviderGarbageException($"The time at '{options.Time}' is not {options.TimeFormat}."),
            };
        }
        catch (Exception ex) when (ex is FormatException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new ProviderGarbageException($"The time at '{options.Time}' is not {options.TimeFormat}.");
        }
    }

    private static decimal? Decimal(JsonElement root, string? path) =>
        path is not null && Find(root, path) is { } value && value.ValueKind != JsonValueKind.Null ? Number(value, path) : null;

    private static decimal Number(JsonElement value, string path)
    {
        // Some providers send numbers as strings ("05. price": "228.5000").
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number))
        {
            return number;
        }

        if (value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number))
        {
            return number;
        }

        throw new ProviderGarbageException($"The value at '{path}' is not a number.");
    }

    private static JsonElement? Find(JsonElement root, string path)
    {
        var current = root;
        foreach (var segment in path.Split('.'))
        {
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var child))
            {
                current = child;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < current.GetArrayLength())
            {
                current = current[index];
            }
            else
            {
                return null;
            }
        }

        return current;
    }
}

/// <summary>What a provider said about one symbol.</summary>
internal sealed record ProviderQuote(decimal Price, decimal? Change, decimal? ChangePercent, DateTimeOffset? At, string Currency);
