namespace Stoa.Testing.Contract;

/// <summary>
/// On the clients the app factory makes: tags each request so that <see cref="ContractCheckMiddleware"/> can report
/// back, waits for the server's verdict on the response and throws <see cref="ContractViolationException"/> when the
/// response broke the OpenAPI document, so the test that received it fails at the call that received it. Streams are
/// not waited for (their check ends when they end); their violations fail the test when the app is disposed.
/// </summary>
internal sealed class ContractCheckHandler(ContractViolations violations) : DelegatingHandler
{
    public const string Header = "X-Stoa-Contract-Check";

    /// <summary>The server checks after the last byte went out, so the verdict can trail the response a little.</summary>
    private static readonly TimeSpan s_verdictWait = TimeSpan.FromSeconds(10);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        request.Headers.TryAddWithoutValidation(Header, id);
        var verdict = violations.Expect(id);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch
        {
            violations.Forget(id);
            throw;
        }

        if (response.Content.Headers.ContentType?.MediaType == "text/event-stream" || (int)response.StatusCode == 101)
        {
            violations.Forget(id);
            return response;
        }

        (long Id, string Text)[] problems;
        try
        {
            problems = await verdict.WaitAsync(s_verdictWait, cancellationToken);
        }
        catch (TimeoutException)
        {
            violations.Forget(id);
            return response;
        }

        if (problems.Length > 0)
        {
            response.Dispose();
            violations.Reported(problems.Select(p => p.Id));
            throw new ContractViolationException(
                $"The response broke the OpenAPI document (docs/api.md: fix the document or the server):\n  {string.Join("\n  ", problems.Select(p => p.Text))}");
        }

        return response;
    }
}
