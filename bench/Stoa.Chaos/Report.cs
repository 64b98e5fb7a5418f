using System.Globalization;

namespace Stoa.Chaos;

internal static class Report
{
    public static void Print(IReadOnlyList<Phase> phases, Verification v, long streamEvents)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine("| fault | requests | errors (5xx problem+json / other) | resent | recovery | back (all nodes ready) | lost writes | result |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var p in phases)
        {
            var back = p.Back is { } b ? string.Create(inv, $"{b.TotalSeconds:0.0} s") : "-";
            Console.WriteLine(string.Create(inv,
                $"| {p.Fault} | {p.Stats.Requests} | {p.Stats.Errors.Count} ({p.Stats.Errors.Count - p.BadErrors} / {p.BadErrors}) | {p.Stats.Resends} | {p.Recovery.TotalSeconds:0.0} s | {back} | {v.LostByPhase.GetValueOrDefault(p.Fault)} | {(p.Passed ? "ok" : "FAIL")} |"));
        }

        Console.WriteLine();
        Console.WriteLine(string.Create(inv,
            $"acknowledged writes: {v.Comments} comments ({v.MissingComments} missing), {v.VotedComments} voted comments ({v.WrongVotes} wrong), {v.DocAcks} doc op acks ({v.MissingDocAcks} missing, {v.DoubledDocOps} twice in the op log), {v.Tokens} doc edits ({v.MissingTokens} missing, {v.DoubledTokens} twice in the text); doc clients converged: {v.Converged}; quote stream events: {streamEvents}; lost writes: {v.LostWrites}; doubled: {v.DoubledWrites}"));
        // Where the edited document was served in each phase: its node, and the next one while that node was down.
        Console.WriteLine("GET /v1/docs/{id} answered by: " + string.Join("; ", phases.Select(p =>
            $"{p.Fault}: {string.Join(", ", p.Stats.AnsweredBy("GET /v1/docs/{id}").Select(n => string.Create(inv, $"{n.Node} {n.Count}")))}")));
        var perEndpoint = phases.SelectMany(p => p.Stats.Percentiles())
            .GroupBy(e => e.Endpoint, StringComparer.Ordinal)
            .Select(g => string.Create(inv, $"{g.Key} {g.Sum(e => e.Count)}"));
        Console.WriteLine("answered per endpoint: " + string.Join(", ", perEndpoint));
        if (v.Notes.Length > 0)
        {
            Console.WriteLine("notes: " + v.Notes);
        }

        foreach (var p in phases)
        {
            foreach (var g in p.Stats.Errors.GroupBy(e => (e.Endpoint, e.Outcome.Kind, e.Outcome.Status, e.Outcome.Detail)).Take(8))
            {
                // When they came, from the injection: tells a slow balancer from a slow recovery.
                var when = p.Inject is null ? "" : string.Create(inv,
                    $" (at +{(g.Min(e => e.At) - p.InjectedAt).TotalSeconds:0.0} to +{(g.Max(e => e.At) - p.InjectedAt).TotalSeconds:0.0} s)");
                Console.WriteLine(string.Create(inv, $"  {p.Fault}: {g.Count()} x {g.Key.Endpoint} -> {g.Key.Status} {g.Key.Kind} {g.Key.Detail}{when}"));
            }

            if (p.InjectError is not null)
            {
                Console.WriteLine($"  {p.Fault}: injection failed: {p.InjectError}");
            }
        }
    }
}
