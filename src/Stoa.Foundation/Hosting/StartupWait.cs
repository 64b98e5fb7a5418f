using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Redis;
using Stoa.Foundation.Sql;

namespace Stoa.Foundation.Hosting;

/// <summary>
/// What a starting node waits for. The store and Redis may come up after the node does (a compose file, a database
/// restarting with its pod), so each is retried for <see cref="StoaOptions.StartupTimeoutSeconds"/> with a warning
/// every few seconds that says what is awaited and why; then start-up stops with a <see cref="StartupException"/>
/// naming the setting. An answer that waiting cannot change (a wrong password, a missing database, a file the process
/// may not write) stops it at once.
/// </summary>
public static partial class StartupWait
{
    private static readonly TimeSpan s_retryDelay = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan s_reportEvery = TimeSpan.FromSeconds(5);

    /// <summary>Opens the store once and resolves the engine, before the host starts anything that needs them.</summary>
    public static async Task WaitForDependenciesAsync(this IServiceProvider services, StoaOptions options, CancellationToken cancellationToken)
    {
        await services.WaitForStoreAsync(options, cancellationToken);
        // The Redis engine connects (and waits) when first resolved: see ConnectRedis.
        services.GetRequiredService<IEngine>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupWait));
        // Where the data goes, said once at start: the embedded file's full path, relative to the working directory.
        LogDependencies(logger, services.GetRequiredService<StoaDatabase>().Settings.Description,
            string.IsNullOrWhiteSpace(options.Redis) ? "in-process" : Stoa.Redis.RedisOptions.Parse(options.Redis).ToString());
    }

    /// <summary>The Redis engine, connected within the patience window, reporting progress while it waits.</summary>
    public static IEngine ConnectRedis(string url, StoaOptions options, ILogger logger)
    {
        var description = Stoa.Redis.RedisOptions.Parse(url).ToString();
        var patience = TimeSpan.FromSeconds(options.StartupTimeoutSeconds);
        var progress = new Progress(logger, "Stoa:Redis", description, patience);
        try
        {
            return RedisEngine.ConnectAsync(url, nearCacheOptions: null, patience, CancellationToken.None, progress.Report).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is Stoa.Redis.RedisException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new StartupException("Stoa:Redis", $"cannot reach {description}: {Cause(ex)}{progress.Waited}", ex);
        }
    }

    /// <summary>Opens one connection to the store, waiting while it does not answer (the CLI commands need only this).</summary>
    public static async Task WaitForStoreAsync(this IServiceProvider services, StoaOptions options, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupWait));
        var patience = TimeSpan.FromSeconds(options.StartupTimeoutSeconds);
        var deadline = DateTime.UtcNow + patience;
        StoaDatabase database;
        try
        {
            database = services.GetRequiredService<StoaDatabase>();
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or UnauthorizedAccessException or IOException)
        {
            throw new StartupException("Stoa:Store", $"cannot open {StoreSettings.Parse(options.StoreUrl).Description}: {Cause(ex)}", ex);
        }

        var progress = new Progress(logger, "Stoa:Store", database.Settings.Description, patience);
        while (true)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or Microsoft.Data.Sqlite.SqliteException or TimeoutException)
            {
                var transient = ex is NpgsqlException { IsTransient: true } or TimeoutException;
                if (!transient || DateTime.UtcNow >= deadline)
                {
                    throw new StartupException("Stoa:Store", $"cannot reach {database.Settings.Description}: {Cause(ex)}{(transient ? progress.Waited : "")}", ex);
                }

                progress.Report(ex, deadline - DateTime.UtcNow);
                await Task.Delay(s_retryDelay, cancellationToken);
            }
        }
    }

    /// <summary>What went wrong, in the words of whoever said no: the server's message, else the innermost error's.</summary>
    internal static string Cause(Exception ex)
    {
        if (ex is PostgresException postgres)
        {
            return $"{postgres.MessageText} (SQLSTATE {postgres.SqlState})";
        }

        var inner = ex;
        while (inner.InnerException is { } next && next is not AggregateException)
        {
            if (next is PostgresException nested)
            {
                return Cause(nested);
            }

            inner = next;
        }

        return inner.Message.TrimEnd('.');
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Store: {Store} (Stoa:Store); engine: {Engine} (Stoa:Redis)")]
    private static partial void LogDependencies(ILogger logger, string store, string engine);

    /// <summary>One warning when waiting starts and one every few seconds after, not one per attempt.</summary>
    private sealed partial class Progress(ILogger logger, string setting, string target, TimeSpan patience)
    {
        private readonly DateTime _started = DateTime.UtcNow;
        private DateTime _reported = DateTime.MinValue;

        /// <summary>How long it was tried, when that was long enough to matter.</summary>
        public string Waited => DateTime.UtcNow - _started is { TotalSeconds: >= 1 } waited
            ? $" (gave up after {Math.Round(waited.TotalSeconds)} s of {(int)patience.TotalSeconds}, Stoa:StartupTimeoutSeconds)"
            : "";

        public void Report(Exception ex, TimeSpan remaining)
        {
            var now = DateTime.UtcNow;
            if (now - _reported < s_reportEvery || remaining <= TimeSpan.Zero)
            {
                return;
            }

            _reported = now;
            LogWaiting(logger, setting, target, Cause(ex), (int)Math.Ceiling(remaining.TotalSeconds));
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "{Setting}: waiting for {Target}: {Cause}; retrying for {Seconds} s more")]
        private static partial void LogWaiting(ILogger logger, string setting, string target, string cause, int seconds);
    }
}
