using System.Collections.Concurrent;

namespace Stoa.Testing.Contract;

/// <summary>
/// The responses of one app that broke its OpenAPI document, collected by <see cref="ContractCheckMiddleware"/>; the
/// app factory fails the test that owns the app with them when it is disposed.
/// </summary>
public sealed class ContractViolations
{
    private readonly ConcurrentQueue<string> _violations = new();

    public IReadOnlyCollection<string> All => _violations;

    public void Add(string violation) => _violations.Enqueue(violation);

    /// <summary>Forgets what was seen (a test that sends the server something the document forbids on purpose).</summary>
    public void Clear() => _violations.Clear();

    public override string ToString() =>
        $"{_violations.Count} response(s) broke the OpenAPI document (docs/api.md: fix the document or the server):\n  "
        + string.Join("\n  ", _violations.Take(40));
}
