using System.Diagnostics;
using System.Text.Json;
using Stoa.Client;
using Stoa.Ot;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>
/// The JavaScript side: the demo page's client (web/js/stoa-client.js, the bundle of clients/js, which needs no npm
/// install) editing alongside a .NET client on the real server. The TypeScript client's own tests (its state machine
/// against an in-memory server, and against a live node) run in clients/js (`npm run check`, from scripts/test). Node
/// is required (CI has it); a missing node is a failure with an install hint, not a skip.
/// </summary>
public sealed class NodeClientTests
{
    [Fact]
    public async Task The_js_client_and_a_dotnet_client_converge_on_the_real_server()
    {
        await using var app = await DocsApp.StartAsync();
        var tenant = await app.CreateTenantAsync();
        using var http = tenant.User("owner");
        var (id, _, _) = await http.CreateDocAsync("shared text");
        await using var dotnet = await DocSession.OpenAsync(id, new DocSessionOptions
        {
            ServerAddress = () => app.BaseAddress,
            ApiKey = tenant.ApiKey,
            AccessToken = () => TestTokens.User(tenant.Secret, "dotnet"),
        }, TestContext.Current.CancellationToken);

        var node = RunNodeAsync(["--experimental-websocket", "tests/Stoa.Docs.Tests/js/live-client.mjs", app.BaseAddress.ToString(), tenant.ApiKey,
            id.ToString(), "20261121", TestTokens.User(tenant.Secret, "js-a"), TestTokens.User(tenant.Secret, "js-b")]);
        var random = new Random(20261121);
        for (var edits = 0; edits < 200 && !node.IsCompleted; edits++)
        {
            dotnet.Edit(text => TextOp.Insert(random.Next(CodePoints.Count(text) + 1), "N"));
            await Task.Delay(random.Next(2, 10), TestContext.Current.CancellationToken);
        }

        var (exitCode, output) = await node;
        exitCode.ShouldBe(0, output);
        await dotnet.WhenSynchronizedAsync(TestContext.Current.CancellationToken);
        var (version, text) = await http.GetDocAsync(id);
        while (dotnet.Version < version)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        dotnet.Text.ShouldBe(text);
        var clients = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('['))).RootElement;
        foreach (var client in clients.EnumerateArray())
        {
            // A JS client may have stopped listening before the last ops; its text must be the document at its version.
            var (atVersion, expected) = await TextAtAsync(http, id, "shared text", client.GetProperty("version").GetInt64());
            client.GetProperty("text").GetString().ShouldBe(expected, $"{client.GetProperty("clientId")} at version {atVersion}");
        }
    }

    private static async Task<(long, string)> TextAtAsync(HttpClient http, Guid id, string initial, long version)
    {
        var ops = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonElement>(http, $"/v1/docs/{id}/ops?from=0&limit=1000",
            TestContext.Current.CancellationToken);
        var text = initial;
        foreach (var op in ops.GetProperty("ops").EnumerateArray().Where(o => o.GetProperty("version").GetInt64() <= version))
        {
            text = TextOt.Apply(text, TextOp.Parse(op.GetProperty("op")));
        }

        return (version, text);
    }

    private static async Task<(int ExitCode, string Output)> RunNodeAsync(IReadOnlyList<string> arguments)
    {
        var node = FindNode() ?? throw new ShouldAssertException(
            "node was not found on PATH; the JavaScript client tests need it. Install it with: apt-get install -y nodejs (node 20 or later).");
        var info = new ProcessStartInfo(node)
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return (-1, "node timed out: " + await stdout + await stderr);
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    private static string? FindNode() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "node"))
            .FirstOrDefault(File.Exists);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Stoa.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Stoa.sln) above " + AppContext.BaseDirectory);
    }
}
