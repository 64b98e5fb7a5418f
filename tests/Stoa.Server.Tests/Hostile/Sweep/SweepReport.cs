using System.Text;

namespace Stoa.HostileSweep;

/// <summary>A response that broke a rule: which operation, which input, what came back.</summary>
public sealed record SweepFinding(string Operation, string Case, string Request, int? Status, string? ContentType, string Rule, string Body)
{
    public override string ToString() =>
        $"{Operation} [{Case}] -> {(Status?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no response")} {ContentType}: {Rule}\n    {Request}\n    {Body}";
}

/// <summary>What a sweep did and found.</summary>
public sealed record SweepReport(int Operations, int Requests, IReadOnlyList<SweepFinding> Findings, IReadOnlyDictionary<int, int> Statuses,
    int TransportRejections, TimeSpan Elapsed)
{
    /// <summary>Requests of the contract pass (counted in <see cref="Requests"/> too).</summary>
    public int FuzzRequests { get; init; }

    public int? FuzzSeed { get; init; }

    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine(System.Globalization.CultureInfo.InvariantCulture,
            $"hostile sweep: {Operations} operations, {Requests} requests in {Elapsed.TotalSeconds:F1} s, {Findings.Count} finding(s), {TransportRejections} raw requests refused by the HTTP server before the app");
        if (FuzzSeed is { } seed)
        {
            text.AppendLine(System.Globalization.CultureInfo.InvariantCulture,
                $"contract pass: {FuzzRequests} requests from the document's constraints, seed {seed} (STOA_SWEEP_SEED={seed} repeats it)");
        }

        text.AppendLine("statuses: " + string.Join(", ", Statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}")));
        foreach (var finding in Findings)
        {
            text.AppendLine(finding.ToString());
        }

        return text.ToString();
    }
}
