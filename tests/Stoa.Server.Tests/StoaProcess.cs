using System.Diagnostics;
using System.Text;

namespace Stoa.Server.Tests;

/// <summary>Runs the built <c>stoa</c> executable as a separate process, the way an operator would.</summary>
public static class StoaProcess
{
    /// <summary>The built executable as <c>dotnet</c> arguments.</summary>
    public static IReadOnlyList<string> Command { get; } = [typeof(Program).Assembly.Location];

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var process = Start(environment, "dotnet", [.. Command, .. args], Path.GetTempPath());
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>
    /// Starts a serving process (the built executable, or <paramref name="fileName"/> with <paramref name="arguments"/>),
    /// reads stdout until a line contains <paramref name="marker"/>, then stops it; returns what it printed up to then.
    /// </summary>
    public static async Task<string> RunUntilAsync(IReadOnlyDictionary<string, string> environment, string marker,
        IReadOnlyList<string>? arguments = null, string? workingDirectory = null, string fileName = "dotnet")
    {
        using var process = Start(environment, fileName, arguments ?? Command, workingDirectory ?? Path.GetTempPath());
        var output = new StringBuilder();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (line.Contains(marker, StringComparison.Ordinal))
                {
                    return output.ToString();
                }
            }

            throw new ShouldAssertException($"'{marker}' never printed. Output: {output} {await process.StandardError.ReadToEndAsync()}");
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    private static Process Start(IReadOnlyDictionary<string, string> environment, string fileName, IEnumerable<string> arguments, string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return Process.Start(info)!;
    }
}
