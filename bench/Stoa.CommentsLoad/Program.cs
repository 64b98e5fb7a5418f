using System.Diagnostics;
using System.Globalization;
using Dapper;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Engine.Memory;
using Stoa.Foundation.Engine.Redis;
using Stoa.Foundation.Sql;

// Sorted set per (thread, sort) in the engine vs the indexed SQL keyset query, for the "top" listing of one thread:
// both return the same 25 comments (full rows). The sorted set yields ids only, so its path also fetches the rows by
// primary key, which any real use of it must do too.
// With REDIS_URL the set lives in Redis (ZADD/ZREVRANGEBYSCORE through Stoa.Redis); without, in the memory engine.
// usage: dotnet run -c Release --project bench/Stoa.CommentsLoad -- POSTGRES_URL API_KEY [THREAD] [ITERATIONS] [REDIS_URL]
var store = StoreSettings.Parse(args[0]);
var apiKey = args[1];
var thread = args.Length > 2 ? args[2] : "seed-big";
var iterations = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2000;
var redisUrl = args.Length > 4 ? args[4] : null;

await using var database = new StoaDatabase(store);
await using var connection = await database.OpenAsync(CancellationToken.None);
var appId = await connection.QuerySingleAsync<Guid>("SELECT id FROM apps WHERE api_key = @apiKey", new { apiKey });
const string Columns = "id, thread_id, parent_id, root_id, depth, author_id, body, body_html, links, created_at, edited_at, deleted_at, upvotes, downvotes, likes, reply_count, best, hot, controversy";
var top = Guid.Empty;

// Load the set: member = id, score = upvotes (ties broken by member, like the SQL's id tie-break).
IEngine engine = redisUrl is null
    ? new MemoryEngine()
    : await RedisEngine.ConnectAsync(redisUrl, null, TimeSpan.FromSeconds(10), CancellationToken.None);
var key = EngineKeys.For(appId, "comments", "zset", thread, "top");
var load = Stopwatch.StartNew();
var entries = (await connection.QueryAsync<(Guid Id, long Upvotes)>(
    "SELECT id, upvotes FROM comments WHERE app_id = @appId AND thread_id = @thread AND parent_id = @top", new { appId, thread, top }))
    .Select(r => new SortedSetEntry(r.Id.ToString("D"), r.Upvotes)).ToList();
await engine.AddManyAsync(key, entries, CancellationToken.None);
Console.WriteLine($"loaded {entries.Count:N0} members into the {engine.Name} engine in {load.ElapsedMilliseconds} ms");

foreach (var depth in (int[])[0, 10_000])
{
    var sql = new List<double>();
    var zset = new List<double>();
    var deepCursor = depth == 0 ? ((long Upvotes, Guid Id)?)null : await connection.QuerySingleAsync<(long Upvotes, Guid Id)>(
        "SELECT upvotes, id FROM comments WHERE app_id = @appId AND thread_id = @thread AND parent_id = @top ORDER BY upvotes DESC, id DESC OFFSET @offset LIMIT 1",
        new { appId, thread, top, offset = depth - 1 });
    for (var i = 0; i < iterations; i++)
    {
        var watch = Stopwatch.StartNew();
        var rows = deepCursor is null
            ? await connection.QueryAsync($"SELECT {Columns} FROM comments WHERE app_id = @appId AND thread_id = @thread AND parent_id = @top ORDER BY upvotes DESC, id DESC LIMIT 25", new { appId, thread, top })
            : await connection.QueryAsync($"SELECT {Columns} FROM comments WHERE app_id = @appId AND thread_id = @thread AND parent_id = @top AND (upvotes, id) < (@k, @last) ORDER BY upvotes DESC, id DESC LIMIT 25",
                new { appId, thread, top, k = deepCursor.Value.Upvotes, last = deepCursor.Value.Id });
        sql.Add(watch.Elapsed.TotalMilliseconds);
        rows.Count().ShouldBe25();

        watch.Restart();
        // Redis semantics: ZREVRANGEBYSCORE with an offset; a keyset over (score, member) would need the same offset
        // walk inside equal scores, so the offset form is the fair one for the engine's API.
        var page = await engine.RangeByScoreAsync(key, ScoreBound.MinusInfinity, ScoreBound.PlusInfinity, descending: true, depth, 25, CancellationToken.None);
        var ids = page.Select(e => Guid.Parse(e.Member)).ToArray();
        var fetched = await connection.QueryAsync($"SELECT {Columns} FROM comments WHERE app_id = @appId AND id = ANY(@ids)", new { appId, ids = new IdArray(ids) });
        zset.Add(watch.Elapsed.TotalMilliseconds);
        fetched.Count().ShouldBe25();
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{(depth == 0 ? "first page" : $"page {depth:N0} deep"),-20} SQL keyset p50 {P(sql, 0.5):F3} ms p99 {P(sql, 0.99):F3} ms | sorted set + fetch by id p50 {P(zset, 0.5):F3} ms p99 {P(zset, 0.99):F3} ms"));
}

static double P(List<double> values, double q)
{
    var sorted = values.Order().ToList();
    return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))];
}

internal static class Checks
{
    public static void ShouldBe25(this int count)
    {
        if (count != 25)
        {
            throw new InvalidOperationException($"expected 25 rows, got {count}");
        }
    }
}

/// <summary>Binds a Guid[] as one uuid[] parameter (Dapper would expand it into a list).</summary>
internal sealed class IdArray(Guid[] ids) : SqlMapper.ICustomQueryParameter
{
    public void AddParameter(System.Data.IDbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = ids;
        command.Parameters.Add(parameter);
    }
}
