using System.Text.Json;
using Stoa.Foundation.Realtime;
using Stoa.Quotes.Realtime;

namespace Stoa.Quotes.Api;

/// <summary>A quote stream's <see cref="QuoteStreamCursor"/> as SSE and WebSocket streams send it: <c>quote</c> events of the API's JSON.</summary>
internal sealed class QuoteStreamOutbox(QuoteStreamCursor cursor, TimeProvider time) : IOutbox
{
    public async ValueTask<OutboxBatch> TakeAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        var quotes = await cursor.TakeAsync(idle, cancellationToken);
        var messages = new List<RealtimeMessage>(quotes.Count);
        foreach (var quote in quotes)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(QuoteView.Of(quote, time.GetUtcNow()), QuotesJsonContext.Default.QuoteView);
            messages.Add(new RealtimeMessage(quote.Symbol, null, "quote", json, ""));
        }

        return new OutboxBatch(messages);
    }
}
