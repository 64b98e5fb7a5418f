using System.Text.Json;
using Stoa.Server.Tests.Deploy;
using Stoa.Testing;

namespace Stoa.Server.Tests.Hosting;

/// <summary>
/// What `stoa` prints at start: JSON lines when stdout is redirected (a container, a pipe), the framework's readable
/// format on a terminal or when asked, and where the embedded store is, which is data/ under the working directory,
/// also with `dotnet run --project src/Stoa.Server` from the repository root.
/// </summary>
public sealed class ConsoleOutputTests
{
    [Fact]
    public async Task Redirected_stdout_gets_json_lines_naming_the_store_under_the_working_directory()
    {
        using var directory = new WorkingDirectory();
        var output = await StoaProcess.RunUntilAsync(Serving(), "Now listening on", workingDirectory: directory.Path);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith('{')).ToList();
        lines.ShouldNotBeEmpty();
        var messages = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("Message").GetString()).ToList();
        messages.ShouldContain($"Store: sqlite:{Path.Combine(directory.Path, "data", "stoa.db")} (Stoa:Store); engine: in-process (Stoa:Redis)");
        File.Exists(Path.Combine(directory.Path, "data", "stoa.db")).ShouldBeTrue();
    }

    [Fact]
    public async Task The_simple_format_is_one_readable_line_per_entry()
    {
        using var directory = new WorkingDirectory();
        var environment = Serving();
        environment["Stoa__LogFormat"] = "simple";
        var output = await StoaProcess.RunUntilAsync(environment, "Now listening on", workingDirectory: directory.Path);

        output.ShouldNotContain("{\"Timestamp\"");
        output.ShouldMatch(@"(?m)^\d\d:\d\d:\d\d info: Stoa\.Foundation\.Hosting\.StartupWait\[\d+\] Store: sqlite:");
        output.ShouldMatch(@"(?m)^\d\d:\d\d:\d\d info: Microsoft\.Hosting\.Lifetime\[\d+\] Now listening on: http://127\.0\.0\.1:\d+$");
    }

    [Fact]
    public async Task A_terminal_gets_the_simple_format_unasked()
    {
        // script(1) gives the process a pseudo-terminal as stdout, as a developer's shell would.
        var script = ExternalTools.Find("script", "bsdutils");
        using var directory = new WorkingDirectory();
        var command = string.Join(' ', ["dotnet", .. StoaProcess.Command.Select(a => $"'{a}'")]);
        var output = await StoaProcess.RunUntilAsync(Serving(), "Now listening on", ["-qec", command, "/dev/null"], directory.Path, fileName: script);

        // Colours on a terminal: the escape sequences go, the format stays.
        System.Text.RegularExpressions.Regex.Replace(output, @"\x1b\[[0-9;]*m", "").ShouldContain(" info: Microsoft.Hosting.Lifetime");
        output.ShouldNotContain("{\"Timestamp\"");
    }

    [Fact]
    public async Task Dotnet_run_from_the_repository_root_puts_the_store_in_data_there_not_in_src()
    {
        // The test runs `dotnet run` in a folder of its own, standing in for the repository root.
        using var directory = new WorkingDirectory();
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        var output = await StoaProcess.RunUntilAsync(Serving(), "Now listening on",
            ["run", "--project", RepoFiles.PathOf("src", "Stoa.Server"), "-c", configuration, "--no-build"], workingDirectory: directory.Path);

        output.ShouldContain($"Store: sqlite:{Path.Combine(directory.Path, "data", "stoa.db")}");
        Directory.Exists(RepoFiles.PathOf("src", "Stoa.Server", "data")).ShouldBeFalse();
    }

    /// <summary>A working directory of the test's own, deleted afterwards.</summary>
    private sealed class WorkingDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("stoa-cwd-").FullName;

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A process killed a moment ago may still hold the store's file: leftovers in /tmp do not fail a test.
            }
        }
    }

    private static Dictionary<string, string> Serving() => new()
    {
        ["Stoa__Urls"] = $"http://127.0.0.1:{TestPorts.GetFree()}",
        ["Stoa__DevMode"] = "false",
    };
}
