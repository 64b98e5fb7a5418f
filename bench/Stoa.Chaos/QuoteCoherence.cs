using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Stoa.Chaos;

/// <summary>
/// After every fault: no node serves an old price. Quotes are read from each node's near-cache, which Redis keeps fresh
/// by invalidation; a fault that lost an invalidation (a Redis restart, a primary failover) would leave a node serving
/// the price from before a write for good. Each round writes a new price through the balancer and reads it from every
/// node directly; a node still serving an older price after 3 s counts as a stale read.
/// </summary>
internal static class QuoteCoherence
{
    private static readonly string[] s_symbols = ["AAPL", "MSFT", "GOOGL"];

    public static async Task<(int Reads, int Stale)> StaleReadsAsync(Credentials credentials, Faults faults, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Add("X-Api-Key", credentials.ApiKey);
        var reads = 0;
        var stale = 0;
        for (var round = 0; round < 10; round++)
        {
            var symbol = s_symbols[round % s_symbols.Length];
            var price = 1000m + round + (Random.Shared.Next(1, 99) / 100m);
            using var put = new HttpRequestMessage(HttpMethod.Put, faults.NodeUrl(1 + (round % 3)) + "/v1/quotes/" + symbol)
            {
                Content = new StringContent(string.Create(CultureInfo.InvariantCulture, $$"""{"price":{{price}}}"""), Encoding.UTF8, "application/json"),
            };
            put.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credentials.ServerToken);
            (await http.SendAsync(put, ct)).EnsureSuccessStatusCode();

            for (var node = 1; node <= 3; node++)
            {
                reads++;
                if (!await ServesAsync(http, faults.NodeUrl(node), symbol, price, ct))
                {
                    stale++;
                    Console.Error.WriteLine($"chaos: node {node} still served an old {symbol} 3 s after a write");
                }
            }
        }

        return (reads, stale);
    }

    private static async Task<bool> ServesAsync(HttpClient http, string node, string symbol, decimal price, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (true)
        {
            using var response = await http.GetAsync(node + "/v1/quotes/" + symbol, ct);
            if (response.IsSuccessStatusCode)
            {
                using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
                if (body.RootElement.GetProperty("price").GetDecimal() == price)
                {
                    return true;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(50, ct);
        }
    }
}
