using BenchmarkDotNet.Attributes;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Stoa.Bench.Sql;

/// <summary>
/// The cost of a durable commit on the embedded store: one small row per transaction in a WAL-mode file, as a comment
/// or a vote commits, with <c>synchronous=NORMAL</c> (the log is synced at checkpoints only) against <c>FULL</c>
/// (synced at every commit, what Stoa uses). The file lives in the temp directory, on the machine's own disk.
/// </summary>
[MemoryDiagnoser]
public class SqliteCommitBenchmarks
{
    private string _path = "";
    private SqliteConnection _connection = null!;
    private long _next;

    [Params("NORMAL", "FULL")]
    public string Synchronous { get; set; } = "FULL";

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"stoa-commit-bench-{Guid.NewGuid():N}.db");
        _connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        _connection.Open();
        _connection.Execute("PRAGMA journal_mode = WAL;");
        _connection.Execute($"PRAGMA synchronous = {Synchronous};");
        _connection.Execute("CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _connection.Dispose();
        foreach (var file in new[] { _path, _path + "-wal", _path + "-shm" })
        {
            File.Delete(file);
        }
    }

    [Benchmark]
    public void CommitOneRow()
    {
        using var transaction = _connection.BeginTransaction();
        _connection.Execute("INSERT INTO rows (id, body) VALUES (@id, 'a comment of a few words')", new { id = ++_next }, transaction);
        transaction.Commit();
    }
}
