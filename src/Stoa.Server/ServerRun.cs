using Microsoft.Extensions.Options;
using Stoa.Foundation.Hosting;

namespace Stoa.Server;

/// <summary>
/// Serving, as `stoa` and `stoa serve` do it: build, wait for the store and Redis, start, run until stopped. A mistake
/// the operator can fix (a setting, a port in use, a dependency that does not answer) ends with one line on stderr
/// naming the setting, and exit code 2; never a stack trace.
/// </summary>
internal static class ServerRun
{
    public const int StartupFailed = 2;

    public static async Task<int> RunAsync(string[] args)
    {
        if (NotASetting(args) is { } word)
        {
            await Console.Error.WriteLineAsync($"stoa: '{word}' is neither a command nor a setting. Settings are written "
                + "--Stoa:Key=value (or --Stoa:Key value); the commands are listed by `stoa --help`.");
            return StartupFailed;
        }

        WebApplication app;
        try
        {
            app = StoaApp.Build(args);
        }
        catch (InvalidConfigurationException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return StartupFailed;
        }

        await using (app)
        {
            try
            {
                await app.Services.WaitForDependenciesAsync(app.Services.GetRequiredService<IOptions<StoaOptions>>().Value, CancellationToken.None);
                await app.Services.GetRequiredService<StartupLogGate>().StartAsync(app, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // Only a bug deserves the stack trace; the host did not log it (StartupLogGate), so it is printed here.
                await Console.Error.WriteLineAsync(StartupFailures.Describe(ex) ?? $"stoa: start-up failed unexpectedly (please report this):{Environment.NewLine}{ex}");
                return StartupFailed;
            }

            await app.WaitForShutdownAsync();
        }

        return 0;
    }

    /// <summary>
    /// The first argument the command-line configuration would silently drop (a switch with no value such as
    /// <c>--halp</c>, a bare word): <c>Key=value</c>, <c>--Key=value</c>, <c>/Key=value</c>, or a <c>--Key</c> or
    /// <c>/Key</c> followed by its value.
    /// </summary>
    private static string? NotASetting(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }

            if ((arg.StartsWith("--", StringComparison.Ordinal) || arg.StartsWith('/')) && arg.TrimStart('-', '/').Length > 0 && i + 1 < args.Length)
            {
                i++;
                continue;
            }

            return arg;
        }

        return null;
    }
}
