using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Stoa.Quotes.Tests;

/// <summary>Reads quotes off an SSE response, one <c>event: quote</c> at a time.</summary>
public sealed class SseReader(Stream stream) : IDisposable
{
    private readonly StreamReader _reader = new(stream, Encoding.UTF8);

    /// <summary>The next quote, or null when the server ended the stream.</summary>
    public async Task<QuoteDto?> NextAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        string? eventName = null;
        while (await _reader.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && eventName == "quote")
            {
                return JsonSerializer.Deserialize<QuoteDto>(line["data: ".Length..], QuoteJson.Options);
            }
        }

        return null;
    }

    public void Dispose() => _reader.Dispose();
}

public static class WebSocketReading
{
    /// <summary>The next quote, or null when the server closed the socket.</summary>
    public static async Task<QuoteDto?> NextQuoteAsync(this ClientWebSocket socket, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        var buffer = new byte[4096];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return JsonSerializer.Deserialize<QuoteDto>(message.ToArray(), QuoteJson.Options);
            }
        }
    }
}
