using System.Net;
using System.Net.Sockets;
using Stoa.Testing;

namespace Stoa.Server.Tests.Hosting;

/// <summary>
/// What the operator can fix at start-up (a port in use, a store or Redis that does not answer) ends in one line on
/// stderr naming the setting and the cause, with exit code 2: never a stack trace, never exit 134. Waiting for a
/// dependency is bounded (Stoa:StartupTimeoutSeconds) and says what it waits for.
/// </summary>
public sealed class StartupFailureTests
{
    [Fact]
    public async Task A_port_in_use_is_one_line_naming_Stoa_Urls()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;

        var result = await StoaProcess.RunAsync(Environment(("Stoa__Urls", $"http://127.0.0.1:{port}")));

        result.ExitCode.ShouldBe(2);
        result.Stderr.Trim().ShouldBe($"Stoa:Urls: cannot listen on http://127.0.0.1:{port}: another process is using that port; stop it, "
            + "or choose another port, e.g. --Stoa:Urls=http://localhost:8081 (Stoa__Urls in the environment).");
        ShouldHaveNoStackTrace(result);
    }

    [Fact]
    public async Task A_postgres_that_does_not_answer_is_waited_for_then_named()
    {
        var port = TestPorts.GetFree();
        var result = await StoaProcess.RunAsync(Environment(("Stoa__Store", $"postgres://stoa:secret@127.0.0.1:{port}/stoa"), ("Stoa__StartupTimeoutSeconds", "2")));

        result.ExitCode.ShouldBe(2);
        var line = result.Stderr.Trim();
        line.ShouldStartWith($"Stoa:Store: cannot reach postgres://127.0.0.1:{port}/stoa: ");
        line.ShouldContain("Stoa:StartupTimeoutSeconds");
        line.ShouldNotContain("secret", Case.Sensitive, "the password stays out of the message");
        result.Stdout.ShouldContain($"Stoa:Store: waiting for postgres://127.0.0.1:{port}/stoa");
        ShouldHaveNoStackTrace(result);
    }

    [Fact]
    public async Task A_missing_database_is_named_at_once_without_waiting()
    {
        var postgres = await PostgresServer.Shared;
        var result = await StoaProcess.RunAsync(Environment(("Stoa__Store", $"postgres://postgres@127.0.0.1:{postgres.Port}/no_such_database"),
            ("Stoa__StartupTimeoutSeconds", "600")));

        result.ExitCode.ShouldBe(2);
        result.Stderr.Trim().ShouldBe($"Stoa:Store: cannot reach postgres://127.0.0.1:{postgres.Port}/no_such_database: "
            + "database \"no_such_database\" does not exist (SQLSTATE 3D000)");
        ShouldHaveNoStackTrace(result);
    }

    [Fact]
    public async Task A_redis_that_does_not_answer_is_waited_for_then_named()
    {
        var port = TestPorts.GetFree();
        var result = await StoaProcess.RunAsync(Environment(("Stoa__Redis", $"redis://127.0.0.1:{port}"), ("Stoa__StartupTimeoutSeconds", "2")));

        result.ExitCode.ShouldBe(2);
        result.Stderr.Trim().ShouldStartWith($"Stoa:Redis: cannot reach redis://127.0.0.1:{port}/0: ");
        result.Stdout.ShouldContain($"Stoa:Redis: waiting for redis://127.0.0.1:{port}/0");
        ShouldHaveNoStackTrace(result);
    }

    [Fact]
    public async Task A_command_with_an_unreachable_store_fails_the_same_way()
    {
        var port = TestPorts.GetFree();
        var result = await StoaProcess.RunAsync(Environment(("Stoa__Store", $"postgres://postgres@127.0.0.1:{port}/stoa"), ("Stoa__StartupTimeoutSeconds", "1")), "migrate");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain($"Stoa:Store: cannot reach postgres://127.0.0.1:{port}/stoa: ");
        ShouldHaveNoStackTrace(result);
    }

    private static Dictionary<string, string> Environment(params (string Key, string Value)[] settings)
    {
        var environment = new Dictionary<string, string>
        {
            ["Stoa__Store"] = TestStores.CreateSqlite(),
            ["Stoa__Urls"] = $"http://127.0.0.1:{TestPorts.GetFree()}",
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        return environment;
    }

    private static void ShouldHaveNoStackTrace((int ExitCode, string Stdout, string Stderr) result)
    {
        foreach (var output in new[] { result.Stdout, result.Stderr })
        {
            output.ShouldNotContain("   at ");
            output.ShouldNotContain("Exception");
        }
    }
}
