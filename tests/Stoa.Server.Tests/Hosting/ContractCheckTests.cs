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

        // The call that received the response fails with what broke.
        (await Should.ThrowAsync<Stoa.Testing.Contract.ContractViolationException>(() => client.GetAsync("/v1/probe/teapot", Ct)))
            .Message.ShouldContain("GET /v1/probe/teapot -> 418: status 418 is not documented");
        (await Should.ThrowAsync<Stoa.Testing.Contract.ContractViolationException>(() => client.GetAsync("/v1/probe/mislabelled", Ct)))
            .Message.ShouldContain("GET /v1/probe/mislabelled -> 200: the body breaks the schema");
        app.ContractViolations.All.ShouldBeEmpty("violations thrown at their call are not thrown again when the app stops");

        // A client the factory did not make (a browser, the sweep) is caught when the app is disposed.
        using var independent = app.CreateIndependentClient();
        independent.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);
        (await independent.GetAsync("/v1/probe/teapot", Ct)).StatusCode.ShouldBe((System.Net.HttpStatusCode)418);
        await WaitForAsync(() => app.ContractViolations.All.Count == 1);
        app.ContractViolations.All.Single().ShouldStartWith("GET /v1/probe/teapot -> 418: status 418 is not documented");
        app.ContractViolations.Clear();
    }

    [Fact]
    public async Task An_app_shared_by_many_tests_fails_the_test_during_which_it_broke_the_document()
    {
        // What [assembly: FailOnContractViolations] does after each test of the E2E and comments assemblies.
        await using var app = await TestApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        var check = new Stoa.Testing.Contract.FailOnContractViolationsAttribute();
        var method = typeof(ContractCheckTests).GetMethod(nameof(An_app_shared_by_many_tests_fails_the_test_during_which_it_broke_the_document))!;
        check.After(method, null!);

        using var browserLike = app.CreateIndependentClient();
        browserLike.DefaultRequestHeaders.Add("X-Api-Key", tenant.ApiKey);
        (await browserLike.GetAsync("/v1/probe/teapot", Ct)).StatusCode.ShouldBe((System.Net.HttpStatusCode)418);
        await WaitForAsync(() => app.ContractViolations.All.Count == 1);

        Should.Throw<Stoa.Testing.Contract.ContractViolationException>(() => check.After(method, null!))
            .Message.ShouldContain("GET /v1/probe/teapot -> 418: status 418 is not documented");
        app.ContractViolations.All.ShouldBeEmpty("a violation fails one test, not the next ones and the fixture's disposal too");
        check.After(method, null!);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25, Ct);
        }
    }
}
