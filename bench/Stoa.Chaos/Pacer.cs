using System.Diagnostics;

namespace Stoa.Chaos;

/// <summary>Starts <c>rate</c> operations a second (open loop) until the time is up, with at most a bounded number in flight.</summary>
internal static class Pacer
{
    public const int MaxInFlight = 512;

    /// <summary>Runs the schedule; returns how many starts were skipped because <see cref="MaxInFlight"/> were running.</summary>
    public static async Task<long> RunAsync(double rate, TimeSpan duration, Func<CancellationToken, Task> operation, CancellationToken ct)
    {
        var inFlight = new List<Task>();
        var clock = Stopwatch.StartNew();
        long skipped = 0;
        var total = (long)(rate * duration.TotalSeconds);
        for (long i = 0; i < total && !ct.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, ct);
            }

            inFlight.RemoveAll(t => t.IsCompleted);
            if (inFlight.Count >= MaxInFlight)
            {
                skipped++;
                continue;
            }

            inFlight.Add(Task.Run(() => operation(ct), ct));
        }

        await Task.WhenAll(inFlight).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        return skipped;
    }
}
