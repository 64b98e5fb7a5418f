using System.Globalization;
using System.Text;

namespace Stoa.Chaos;

/// <summary><c>load</c>: the mixed workload at a fixed rate; prints p50/p99 per endpoint and the error rate as markdown.</summary>
internal static class LoadRun
{
    public static async Task<int> RunAsync(StoaApi api, Stats stats, double rate, int seconds, string? output, CancellationToken ct)
    {
        var doc = (await api.PostAsync("setup", "/v1/docs", "{\"text\":\"\"}", ct)).Body.GetProperty("id").GetGuid();
        var log = new WriteLog();
        var workload = new Workload(api, log, doc, restDocOps: true);
        // Warm-up (JIT, connection pools, caches): a quarter of the time, at the same rate, not counted.
        await Pacer.RunAsync(rate, TimeSpan.FromSeconds(Math.Max(5, seconds / 4)), workload.RunOneAsync, ct);
        stats.Reset();
        var setup = 0L;
        var skipped = await Pacer.RunAsync(rate, TimeSpan.FromSeconds(seconds), workload.RunOneAsync, ct);

        var report = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var requests = stats.Requests - setup;
        var errors = stats.Errors.Count;
        report.AppendLine(inv, $"{rate:0} requests/s for {seconds} s through haproxy: {requests} requests, {errors} errors ({100.0 * errors / Math.Max(1, requests):0.###} %), {skipped} starts skipped (more than {Pacer.MaxInFlight} in flight)");
        report.AppendLine();
        report.AppendLine("| endpoint | requests | errors | p50 ms | p99 ms |");
        report.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var (endpoint, count, p50, p99) in stats.Percentiles().Where(p => p.Endpoint != "setup"))
        {
            report.AppendLine(inv, $"| `{endpoint}` | {count + stats.ErrorsFor(endpoint)} | {stats.ErrorsFor(endpoint)} | {p50:0.0} | {p99:0.0} |");
        }

        foreach (var group in stats.Errors.GroupBy(e => (e.Endpoint, e.Outcome.Status, e.Outcome.Detail)).Take(20))
        {
            report.AppendLine(inv, $"\nerror x{group.Count()}: {group.Key.Endpoint} {group.Key.Status} {group.Key.Detail}");
        }

        Console.Write(report);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, report.ToString(), ct);
        }

        return errors == 0 && skipped == 0 ? 0 : 1;
    }
}
