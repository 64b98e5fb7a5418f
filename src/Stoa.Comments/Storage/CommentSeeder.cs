using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Bogus;
using Dapper;
using Stoa.Comments.Core;
using Stoa.Foundation.Sql;

namespace Stoa.Comments.Storage;

/// <summary>
/// Realistic benchmark data (<c>stoa seed comments</c>): one big thread plus many ordinary ones; each thread is a tree
/// grown in time order (a third top level, the rest replies to earlier comments, recent ones more often), with
/// heavy-tailed votes and likes. Counters are written directly, without vote rows: the data is for reading
/// benchmarks, and later votes move the counters from there. Rows go in batched multi-row INSERTs.
/// </summary>
internal sealed class CommentSeeder(StoaDatabase database, Guid appId, int seed, int total, TextWriter progress)
{
    public const string BigThreadId = "seed-big";
    private const int BatchRows = 500;
    private const int PostgresBatchRows = 5000;

    private static readonly DateTimeOffset s_start = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Faker _faker = new() { Random = new Randomizer(seed) };
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _written;
    private long _lastReport;

    /// <summary>The big thread first, then what remains spread evenly over <paramref name="threads"/> ordinary ones.</summary>
    public async Task RunAsync(int bigThread, int threads, CancellationToken cancellationToken)
    {
        if (bigThread > 0)
        {
            await ThreadAsync(BigThreadId, bigThread, cancellationToken);
        }

        var remaining = total - bigThread;
        for (var i = 0; i < threads && remaining > 0; i++)
        {
            var size = remaining / (threads - i);
            await ThreadAsync($"seed-{i:D5}", size, cancellationToken);
            remaining -= size;
        }

        Report(final: true);
        progress.WriteLine($"big thread: {BigThreadId}; others: seed-00000 … seed-{threads - 1:D5}");
    }

    private async Task ThreadAsync(string threadId, int size, CancellationToken cancellationToken)
    {
        var rows = Generate(threadId, size);
        var batchRows = database.Dialect == SqlDialect.Postgres ? PostgresBatchRows : BatchRows;
        for (var offset = 0; offset < rows.Count; offset += batchRows)
        {
            var batch = rows.GetRange(offset, Math.Min(batchRows, rows.Count - offset));
            await database.InTransactionAsync((connection, transaction) => database.Dialect == SqlDialect.Postgres
                ? InsertArraysAsync(connection, transaction, batch, cancellationToken)
                : InsertAsync(connection, transaction, batch, cancellationToken), cancellationToken);
            _written += batch.Count;
            if (_written - _lastReport >= Math.Max(total / 20, BatchRows))
            {
                Report(final: false);
            }
        }

        await database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO comment_threads (app_id, thread_id, comment_count, locked, created_at) VALUES (@AppId, @ThreadId, @Count, 0, @Now)
            ON CONFLICT (app_id, thread_id) DO UPDATE SET comment_count = comment_threads.comment_count + excluded.comment_count
            """, new { AppId = appId, ThreadId = threadId, Count = (long)size, Now = s_start }, transaction, cancellationToken: cancellationToken)),
            cancellationToken);
    }

    private void Report(bool final)
    {
        _lastReport = _written;
        var rate = _written / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(final ? "done" : "progress")}: {_written:N0}/{total:N0} comments, {rate:N0} rows/s, {_clock.Elapsed.TotalSeconds:N1} s"));
    }

    /// <summary>A thread grown in time order; replies favour recent comments, as conversations do.</summary>
    private List<CommentRow> Generate(string threadId, int size)
    {
        var rows = new List<CommentRow>(size);
        var span = TimeSpan.FromDays(30).Ticks;
        for (var i = 0; i < size; i++)
        {
            var created = s_start.AddTicks((span / size * i) + _faker.Random.Long(0, Math.Max(1, span / size) - 1));
            created = new DateTimeOffset(created.UtcTicks - (created.UtcTicks % 10), TimeSpan.Zero);
            CommentRow? parent = null;
            if (i > 0 && _faker.Random.Double() > 0.33)
            {
                var back = (int)Math.Min(i - 1, Math.Floor(-Math.Log(1 - _faker.Random.Double()) * 50));
                parent = rows[i - 1 - back];
                parent.ReplyCount++;
            }

            var up = (long)Math.Floor(Math.Pow(_faker.Random.Double(), 6) * 500);
            var down = (long)Math.Floor(Math.Pow(_faker.Random.Double(), 8) * 120);
            var id = _faker.Random.Guid();
            var body = _faker.Lorem.Sentences(_faker.Random.Int(1, 3));
            rows.Add(new CommentRow
            {
                Id = id,
                ThreadId = threadId,
                ParentId = parent?.Id ?? Guid.Empty,
                RootId = parent?.RootId ?? id,
                Depth = parent is null ? 0 : parent.Depth + 1,
                AuthorId = _faker.Internet.UserName(),
                Body = body,
                BodyHtml = "<p>" + WebUtility.HtmlEncode(body) + "</p>\n",
                CreatedAt = created,
                Upvotes = up,
                Downvotes = down,
                Likes = (long)Math.Floor(Math.Pow(_faker.Random.Double(), 7) * 200),
                Best = Scoring.Wilson(up, down),
                Hot = Scoring.Hot(up, down, created),
                Controversy = Scoring.Controversy(up, down),
            });
        }

        return rows;
    }

    /// <summary>
    /// PostgreSQL and CockroachDB: one multi-row INSERT from column arrays (unnest), so that a 5,000-row batch is 17
    /// parameters and one small plan rather than 85,000 parameters.
    /// </summary>
    private async Task InsertArraysAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, List<CommentRow> batch,
        CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO comments (app_id, id, thread_id, parent_id, root_id, depth, author_id, body, body_html, created_at,
                upvotes, downvotes, likes, reply_count, best, hot, controversy)
            SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::uuid[], $5::uuid[], $6::int[], $7::text[], $8::text[], $9::text[],
                $10::timestamptz[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::float8[], $16::float8[], $17::float8[])
            """;
        object[] values =
        [
            appId,
            batch.Select(r => r.Id).ToArray(),
            batch.Select(r => r.ThreadId).ToArray(),
            batch.Select(r => r.ParentId).ToArray(),
            batch.Select(r => r.RootId).ToArray(),
            batch.Select(r => (int)r.Depth).ToArray(),
            batch.Select(r => r.AuthorId).ToArray(),
            batch.Select(r => r.Body).ToArray(),
            batch.Select(r => r.BodyHtml).ToArray(),
            batch.Select(r => r.CreatedAt).ToArray(),
            batch.Select(r => r.Upvotes).ToArray(),
            batch.Select(r => r.Downvotes).ToArray(),
            batch.Select(r => r.Likes).ToArray(),
            batch.Select(r => r.ReplyCount).ToArray(),
            batch.Select(r => r.Best).ToArray(),
            batch.Select(r => r.Hot).ToArray(),
            batch.Select(r => r.Controversy).ToArray(),
        ];
        foreach (var value in values)
        {
            var parameter = command.CreateParameter();
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task InsertAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, List<CommentRow> batch,
        CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("""
            INSERT INTO comments (app_id, id, thread_id, parent_id, root_id, depth, author_id, body, body_html, created_at,
                upvotes, downvotes, likes, reply_count, best, hot, controversy) VALUES
            """);
        var parameters = new DynamicParameters();
        parameters.Add("a", appId);
        for (var i = 0; i < batch.Count; i++)
        {
            var r = batch[i];
            sql.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ",")}(@a,@i{i},@t{i},@p{i},@r{i},@d{i},@u{i},@b{i},@h{i},@c{i},@up{i},@dn{i},@l{i},@rc{i},@be{i},@ho{i},@co{i})");
            parameters.Add($"i{i}", r.Id);
            parameters.Add($"t{i}", r.ThreadId);
            parameters.Add($"p{i}", r.ParentId);
            parameters.Add($"r{i}", r.RootId);
            parameters.Add($"d{i}", r.Depth);
            parameters.Add($"u{i}", r.AuthorId);
            parameters.Add($"b{i}", r.Body);
            parameters.Add($"h{i}", r.BodyHtml);
            parameters.Add($"c{i}", r.CreatedAt);
            parameters.Add($"up{i}", r.Upvotes);
            parameters.Add($"dn{i}", r.Downvotes);
            parameters.Add($"l{i}", r.Likes);
            parameters.Add($"rc{i}", r.ReplyCount);
            parameters.Add($"be{i}", r.Best);
            parameters.Add($"ho{i}", r.Hot);
            parameters.Add($"co{i}", r.Controversy);
        }

        await connection.ExecuteAsync(new CommandDefinition(sql.ToString(), parameters, transaction, cancellationToken: cancellationToken));
    }
}
