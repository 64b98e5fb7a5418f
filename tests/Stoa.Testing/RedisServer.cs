namespace Stoa.Testing;

/// <summary>
/// A real redis-server on a free loopback port in a temp directory. <see cref="Shared"/> is started once per test run;
/// tests that stop or restart Redis start their own with <see cref="StartAsync"/>.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly Lazy<Task<RedisServer>> s_shared = new(() => StartAsync());
    private static int s_prefixCounter;

    private readonly string _binary;
    private readonly string _directory;
    private readonly bool _appendOnly;
    private readonly IReadOnlyList<string> _extraArgs;
    private ServerProcess? _process;

    private RedisServer(string binary, string directory, int port, bool appendOnly, IReadOnlyList<string> extraArgs)
    {
        _binary = binary;
        _directory = directory;
        Port = port;
        _appendOnly = appendOnly;
        _extraArgs = extraArgs;
    }

    /// <summary>The one Redis shared by the tests of this run; give each test its own key prefix.</summary>
    public static Task<RedisServer> Shared => s_shared.Value;

    public int Port { get; }

    public string Url => $"redis://127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>A key prefix no other test in this run uses.</summary>
    public static string NewPrefix() => $"t{Interlocked.Increment(ref s_prefixCounter)}_{Guid.NewGuid():N}"[..16];

    /// <param name="appendOnly">Persist to an AOF so data survives <see cref="Kill"/>.</param>
    /// <param name="extraArgs">More redis-server arguments, e.g. <c>["--requirepass", "secret"]</c>.</param>
    public static async Task<RedisServer> StartAsync(bool appendOnly = false, IReadOnlyList<string>? extraArgs = null)
    {
        var binary = ExternalTools.Find("redis-server", "redis-server");
        var directory = Directory.CreateTempSubdirectory("stoa-redis-").FullName;
        var server = new RedisServer(binary, directory, TestPorts.GetFree(), appendOnly, extraArgs ?? []);
        await server.StartProcessAsync();
        ProcessReaper.AtExit(() => server.DeleteDirectory());
        return server;
    }

    private async Task StartProcessAsync()
    {
        _process = ServerProcess.Start(_binary,
        [
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", _directory,
            "--save", "",
            "--appendonly", _appendOnly ? "yes" : "no",
            "--appendfsync", "no",
            "--protected-mode", "no",
            "--daemonize", "no",
            "--loglevel", "warning",
            .. _extraArgs,
        ]);
        await TestPorts.WaitForListenerAsync(Port, TimeSpan.FromSeconds(20), () => _process.Output);
    }

    /// <summary>Kills the server (SIGKILL, like a crash); with appendonly off its data is gone.</summary>
    public void Kill() => _process?.Kill();

    /// <summary>Starts the server again on the same port after <see cref="Kill"/>.</summary>
    public async Task RestartAsync()
    {
        Kill();
        _process?.Dispose();
        await StartProcessAsync();
    }

    private void DeleteDirectory() => TempDirectory.DeleteQuietly(_directory);

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        DeleteDirectory();
        return ValueTask.CompletedTask;
    }
}
