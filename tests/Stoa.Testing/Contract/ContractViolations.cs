using System.Collections.Concurrent;

namespace Stoa.Testing.Contract;

/// <summary>
/// The responses of one app that broke its OpenAPI document, collected by <see cref="ContractCheckMiddleware"/>; the
/// app factory fails the test that owns the app with them when it is disposed.
/// </summary>
public sealed class ContractViolations
{
    private static readonly ConcurrentDictionary<ContractViolations, byte> s_live = new();

    private readonly ConcurrentDictionary<long, string> _violations = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<(long Id, string Text)[]>> _verdicts = new();
    private long _next;

    /// <summary>The violations not yet thrown at the test that received them.</summary>
    public IReadOnlyCollection<string> All => [.. _violations.OrderBy(v => v.Key).Select(v => v.Value)];

    /// <summary>Records a violation; the id lets <see cref="Reported"/> take it back.</summary>
    public long Add(string violation)
    {
        var id = Interlocked.Increment(ref _next);
        _violations[id] = violation;
        return id;
    }

    /// <summary>
    /// Takes the violations not yet thrown at any test from every app of this process that is running, for
    /// <see cref="FailOnContractViolationsAttribute"/>.
    /// </summary>
    public static IReadOnlyList<string> TakeUnreported()
    {
        var taken = new List<(long Id, string Text)>();
        foreach (var violations in s_live.Keys)
        {
            foreach (var id in violations._violations.Keys)
            {
                if (violations._violations.TryRemove(id, out var text))
                {
                    taken.Add((id, text));
                }
            }
        }

        return [.. taken.OrderBy(v => v.Id).Select(v => v.Text)];
    }

    /// <summary>Makes this app's violations visible to <see cref="TakeUnreported"/> until <see cref="Untrack"/>.</summary>
    internal void Track() => s_live.TryAdd(this, 0);

    internal void Untrack() => s_live.TryRemove(this, out _);

    /// <summary>Forgets what was seen (a test that sends the server something the document forbids on purpose).</summary>
    public void Clear() => _violations.Clear();

    /// <summary>A request a <see cref="ContractCheckHandler"/> sent: its verdict comes from the middleware.</summary>
    internal Task<(long Id, string Text)[]> Expect(string id) =>
        _verdicts.GetOrAdd(id, _ => new TaskCompletionSource<(long Id, string Text)[]>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    internal void Forget(string id) => _verdicts.TryRemove(id, out _);

    /// <summary>The middleware's verdict on a tagged request: its violations, none when it conformed or is not described.</summary>
    internal void Verdict(string id, (long Id, string Text)[] problems)
    {
        if (_verdicts.TryRemove(id, out var verdict))
        {
            verdict.TrySetResult(problems);
        }
    }

    /// <summary>Violations the handler threw at their test: the factory need not fail again with them.</summary>
    internal void Reported(IEnumerable<long> ids)
    {
        foreach (var id in ids)
        {
            _violations.TryRemove(id, out _);
        }
    }

    public override string ToString() =>
        $"{All.Count} response(s) broke the OpenAPI document (docs/api.md: fix the document or the server):\n  "
        + string.Join("\n  ", All.Take(40));
}
