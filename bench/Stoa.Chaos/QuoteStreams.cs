namespace Stoa.Chaos;

/// <summary>SSE quote streams that reconnect when a node goes away; each (re)connect is a request, each event counted.</summary>
internal sealed class QuoteStreams(HttpClient http, Credentials credentials, Func<Stats> stats)
{
    private long _events;

    public long Events => Interlocked.Read(ref _events);

    public Task RunAsync(int streams, TimeSpan duration, CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, streams).Select(_ => StreamLoopAsync(duration, ct)));

    private async Task StreamLoopAsync(TimeSpan duration, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(duration);
        for (var attempt = 0; attempt < 10_000 && !timeout.IsCancellationRequested; attempt++)
        {
            var started = DateTime.UtcNow;
            try
            {
                using var response = await http.GetAsync($"/v1/quotes/stream?symbols=AAPL,MSFT&api_key={credentials.ApiKey}",
                    HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var outcome = response.IsSuccessStatusCode
                    ? Outcome.Success((int)response.StatusCode)
                    : new Outcome(OutcomeKind.Bad, (int)response.StatusCode, "stream refused");
                stats().Record("GET /v1/quotes/stream", (DateTime.UtcNow - started).TotalMilliseconds, outcome);
                if (outcome.IsOk)
                {
                    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
                    while (await reader.ReadLineAsync(timeout.Token) is { } line)
                    {
                        if (line.StartsWith("data:", StringComparison.Ordinal))
                        {
                            Interlocked.Increment(ref _events);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or IOException)
            {
                // The node went away mid-stream (or refused the connect): reconnect, as a browser's EventSource does.
                if (DateTime.UtcNow - started < TimeSpan.FromSeconds(1))
                {
                    stats().Record("GET /v1/quotes/stream", 0, new Outcome(OutcomeKind.Bad, 0, e.GetType().Name + ": " + e.Message));
                }
            }

            await Task.Delay(200, CancellationToken.None);
        }
    }
}
