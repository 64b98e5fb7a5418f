using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Stoa.Foundation.Hosting;
using Stoa.Testing;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// deploy/Dockerfile against the server: no Docker daemon runs here, so the image cannot be built; its instructions
/// are read instead, and the HEALTHCHECK command is run for real against a running app.
/// </summary>
public sealed class DockerfileTests
{
    /// <summary>The arguments of every instruction with this name, continuation lines joined, in order.</summary>
    internal static IReadOnlyList<string> Instructions(string name)
    {
        var logical = new List<string>();
        var pending = "";
        foreach (var line in RepoFiles.Read("deploy", "Dockerfile").Split('\n'))
        {
            var trimmed = line.Trim();
            if (pending.Length == 0 && (trimmed.Length == 0 || trimmed.StartsWith('#')))
            {
                continue;
            }

            if (trimmed.EndsWith('\\'))
            {
                pending += trimmed[..^1] + " ";
                continue;
            }

            logical.Add(pending + trimmed);
            pending = "";
        }

        return [.. logical
            .Where(l => l.StartsWith(name + " ", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[(name.Length + 1)..].Trim())];
    }

    [Fact]
    public void Builds_with_the_sdk_and_runs_on_the_aspnet_runtime()
    {
        var stages = Instructions("FROM");
        stages.Count.ShouldBeGreaterThanOrEqualTo(2, "a multi-stage build");
        stages[0].ShouldContain("mcr.microsoft.com/dotnet/sdk:10.0");
        stages[^1].ShouldStartWith("mcr.microsoft.com/dotnet/aspnet:10.0");
        Instructions("RUN").ShouldContain(r => r.Contains("dotnet publish src/Stoa.Server", StringComparison.Ordinal) && r.Contains("-o /app", StringComparison.Ordinal));
        File.Exists(RepoFiles.PathOf("src", "Stoa.Server", "Stoa.Server.csproj")).ShouldBeTrue();
    }

    [Fact]
    public void The_entrypoint_runs_the_stoa_assembly()
    {
        typeof(Program).Assembly.GetName().Name.ShouldBe("stoa");
        JsonSerializer.Deserialize<string[]>(Instructions("ENTRYPOINT").Single()).ShouldBe(["dotnet", "/app/stoa.dll"]);
    }

    [Fact]
    public void Listens_exposes_and_health_checks_the_same_port_as_the_kubernetes_containers()
    {
        var environment = Environment();
        var port = ManifestTests.ListenPort(environment, "deploy/Dockerfile");
        Instructions("EXPOSE").Single().ShouldBe(port.ToString(CultureInfo.InvariantCulture));
        HealthCheckScript().ShouldContain($"/dev/tcp/127.0.0.1/{port} ");
        HealthCheckScript().ShouldContain("GET /healthz HTTP/1.1");

        foreach (var deployment in KubernetesManifests.OfKind("Deployment"))
        {
            var container = deployment["spec"]["template"]["spec"]["containers"].Items.Single();
            ManifestTests.ListenPort(KubernetesManifests.EffectiveEnvironment(container), deployment).ShouldBe(port);
        }
    }

    [Fact]
    public void Environment_names_are_real_settings()
    {
        foreach (var name in Environment().Keys)
        {
            name.ShouldStartWith("Stoa__");
            ServerSettings.IsLeaf(ServerSettings.KeyOf(name), out var reason).ShouldBeTrue(reason);
        }
    }

    [Fact]
    public void The_image_never_runs_development_mode()
    {
        // Its settings exactly as a container starts with them: no store set, listening on every interface. Were
        // development mode on, /dev/token would hand any visitor a token for any user.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(Environment().Select(e => KeyValuePair.Create(ServerSettings.KeyOf(e.Key), (string?)e.Value)))
            .Build();
        var options = configuration.ReadStoaOptions(ModuleCatalog.Names);
        options.Store.ShouldBeNull("the image's default is the embedded store, so this checks the rule where it bites");
        options.IsDevMode.ShouldBeFalse();
    }

    [Fact]
    public void Runs_as_a_numeric_non_root_user()
    {
        // Numeric, so that Kubernetes' runAsNonRoot can check it without the image's /etc/passwd.
        var user = Instructions("USER").Single();
        int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var uid).ShouldBeTrue($"USER {user}");
        uid.ShouldBe(1654, "the app user of the .NET images");
    }

    [Fact]
    public void The_build_context_keeps_what_the_publish_needs()
    {
        var ignored = RepoFiles.Read(".dockerignore").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var needed in new[] { "src/", "src", "web/", "web", "Directory.Build.props", "Directory.Packages.props", "*", "**" })
        {
            ignored.ShouldNotContain(needed);
        }

        ignored.ShouldContain("**/bin/");
        ignored.ShouldContain("**/obj/");
    }

    [Fact]
    public async Task The_health_check_command_passes_against_a_live_server_and_fails_without_one()
    {
        await using var app = await TestApp.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var port = app.BaseAddress.Port;
        var script = HealthCheckScript().Replace("/dev/tcp/127.0.0.1/8080", $"/dev/tcp/127.0.0.1/{port}", StringComparison.Ordinal);
        (await RunBashAsync(script, ct)).ShouldBe(0, "HEALTHCHECK against a live server");

        var closed = TestPorts.GetFree();
        (await RunBashAsync(script.Replace($"/{port} ", $"/{closed} ", StringComparison.Ordinal), ct)).ShouldNotBe(0, "HEALTHCHECK against a closed port");
    }

    private static Dictionary<string, string> Environment() =>
        Instructions("ENV").Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    /// <summary>The bash script of <c>HEALTHCHECK … CMD ["bash", "-c", script]</c>.</summary>
    private static string HealthCheckScript()
    {
        var healthCheck = Instructions("HEALTHCHECK").Single();
        var command = JsonSerializer.Deserialize<string[]>(healthCheck[(healthCheck.IndexOf("CMD ", StringComparison.Ordinal) + 4)..])!;
        command[..2].ShouldBe(["bash", "-c"]);
        return command[2];
    }

    private static async Task<int> RunBashAsync(string script, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardError = true })!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }
}
