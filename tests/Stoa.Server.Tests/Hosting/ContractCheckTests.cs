using Stoa.Testing;

namespace Stoa.Server.Tests.Hosting;

/// <summary>The harness's contract check (tests/Stoa.Testing/Contract) catches what it is there to catch.</summary>
public sealed class ContractCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_undocumented_status_and_a_body_that_breaks_its_schema_are_violations_and_documented_answers_are_not()
    {
        await using var app = await TestApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var client = tenant.App();

        (await client.GetAsync("/v1/app", Ct)).EnsureSuccessStatusCode();
        (await client.GetAsync("/v1/quotes/NOPE1", Ct)).StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        app.ContractViolations.All.ShouldBeEmpty("documented answers");

        await client.GetAsync("/v1/probe/teapot", Ct);
        await client.GetAsync("/v1/probe/mislabelled", Ct);
        var violations = app.ContractViolations.All.ToList();
        app.ContractViolations.Clear();

        violations.Count.ShouldBe(2, string.Join("\n", violations));
        violations.ShouldContain(v => v.StartsWith("GET /v1/probe/teapot -> 418: status 418 is not documented", StringComparison.Ordinal));
        violations.ShouldContain(v => v.StartsWith("GET /v1/probe/mislabelled -> 200: the body breaks the schema", StringComparison.Ordinal) && v.Contains("text"));
    }
}
