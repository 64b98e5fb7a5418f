using System.Net.Http.Json;
using System.Text.Json;

namespace Stoa.Quotes.Tests;

/// <summary>A quote as a client reads it from the API.</summary>
public sealed record QuoteDto(string Symbol, decimal Price, string Currency, decimal? Change, decimal? ChangePercent, DateTimeOffset At,
    long Seq, string Source, long AgeMs);

public sealed record QuoteListDto(List<QuoteDto> Quotes, List<string> NotFound);

public static class QuoteJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static async Task<QuoteDto> ReadQuoteAsync(this HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonSerializer.Deserialize<QuoteDto>(text, Options)!;
    }

    public static Task<HttpResponseMessage> PutQuoteAsync(this HttpClient client, string symbol, decimal price, long? seq = null,
        CancellationToken cancellationToken = default) =>
        client.PutAsJsonAsync($"/v1/quotes/{symbol}", new { price, seq }, cancellationToken);
}
