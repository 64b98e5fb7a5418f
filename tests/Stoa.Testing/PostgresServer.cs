using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Stoa.Testing;

/// <summary>
/// A real PostgreSQL cluster (initdb + postgres) in a temp directory on a free port, with fsync off for speed and
/// <c>default_transaction_isolation = serializable</c> so that the 40001 retry paths run as they would on
/// CockroachDB. <see cref="Shared"/> is started once per test run; each test takes a fresh database from
/// <see cref="CreateDatabaseAsync"/>. Tests that stop PostgreSQL start their own with <see cref="StartAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly Lazy<Task<PostgresServer>> s_shared = new(() => StartAsync());
    private static int s_databaseCounter;

    private readonly string _directory;
    private ServerProcess? _process;

    private PostgresServer(string directory, int port)
    {
        _directory = directory;
        Port = port;
    }

    public static Task<PostgresServer> Shared => s_shared.Value;

    public int Port { get; }

    public string AdminConnectionString =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=5";

    public bool IsRunning => _process is { HasExited: false };

    public static async Task<PostgresServer> StartAsync()
    {
        var initdb = ExternalTools.PostgresBin("initdb");
        var directory = Directory.CreateTempSubdirectory("stoa-pg-").FullName;
        var server = new PostgresServer(directory, TestPorts.GetFree());
        if (ExternalTools.IsRoot)
        {
            // initdb and postgres refuse to run as root: the cluster belongs to the postgres user.
            await RunAsync("chown", ["postgres:postgres", directory]);
        }

        await RunAsync(initdb, ["-D", Path.Combine(directory, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
        File.AppendAllText(Path.Combine(directory, "data", "postgresql.conf"), string.Join('\n',
        [
            "",
            $"port = {server.Port}",
            "listen_addresses = '127.0.0.1'",
            $"unix_socket_directories = '{directory}'",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "default_transaction_isolation = 'serializable'",
            "max_connections = 300",
            "shared_buffers = 128MB",
            "log_min_messages = warning",
            "",
        ]));
        await server.StartProcessAsync();
        ProcessReaper.AtExit(server.DeleteDirectory);
        return server;
    }

    /// <summary>Creates an empty database and returns its <c>postgres://</c> URL for <c>Stoa:Store</c>.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= $"t{Interlocked.Increment(ref s_databaseCounter)}_{Guid.NewGuid():N}"[..24];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return $"postgres://postgres@127.0.0.1:{Port}/{name}";
    }

    /// <summary>
    /// Stops the server like a crash: <c>pg_ctl stop -m immediate</c> kills every backend without a checkpoint, and
    /// the next start runs crash recovery. (A bare SIGKILL of the postmaster would leave orphaned backends holding
    /// its shared memory, which a real supervisor would also have to clean up.)
    /// </summary>
    public async Task KillAsync()
    {
        if (IsRunning)
        {
            await RunAsync(ExternalTools.PostgresBin("pg_ctl"), ["-D", Path.Combine(_directory, "data"), "stop", "-m", "immediate", "-w"]);
        }

        _process?.Kill();
    }

    public async Task RestartAsync()
    {
        await KillAsync();
        _process?.Dispose();
        await StartProcessAsync();
    }

    private async Task StartProcessAsync()
    {
        var postgres = ExternalTools.PostgresBin("postgres");
        var arguments = new List<string> { "-D", Path.Combine(_directory, "data") };
        _process = ExternalTools.IsRoot
            ? ServerProcess.Start("runuser", ["-u", "postgres", "--", postgres, .. arguments])
            : ServerProcess.Start(postgres, arguments);
        await TestPorts.WaitForListenerAsync(Port, TimeSpan.FromSeconds(60), () => _process.Output);
        await WaitForQueriesAsync();
    }

    private async Task WaitForQueriesAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(AdminConnectionString);
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                // "the database system is starting up"
                await Task.Delay(100);
            }
        }
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments)
    {
        var asPostgres = ExternalTools.IsRoot && fileName != "chown";
        var (exitCode, output) = asPostgres
            ? await ExternalTools.RunAsync("runuser", ["-u", "postgres", "--", fileName, .. arguments])
            : await ExternalTools.RunAsync(fileName, arguments);
        if (exitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{fileName} exited with {exitCode}: {output}"));
        }
    }

    private void DeleteDirectory() => TempDirectory.DeleteQuietly(_directory);

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        DeleteDirectory();
        return ValueTask.CompletedTask;
    }
}
