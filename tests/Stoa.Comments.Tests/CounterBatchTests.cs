using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Comments.Core;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Sql;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>
/// One batch of votes and likes, applied by Core in one transaction of the real store: each change is answered as if it
/// had been its own transaction in the batch's order, a refused change leaves the others alone, the rows end as the
/// last change of each user left them, and on PostgreSQL a batch costs the same few statements whatever its size.
/// The app is this test's own so that the statement counts are exact.
/// </summary>
public sealed class CounterBatchTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_batch_answers_each_change_in_order_and_writes_what_the_batch_changed(string store)
    {
        await using var app = await CommentsApp.StartAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var comment = await alice.PostCommentAsync(NewThread(), "hot");
        var database = app.Services.GetRequiredService<StoaDatabase>();
        await using var connection = await database.OpenAsync(Ct);
        var appId = await connection.ExecuteScalarAsync<Guid>("SELECT app_id FROM comments WHERE id = @Id", new { comment.Id });
        var comments = app.Services.GetRequiredService<ICommentStore>();

        CounterChange[] changes =
        [
            CounterChange.Vote("bob", 1),
            CounterChange.Vote("carol", -1),
            CounterChange.Vote("alice", 1),
            CounterChange.Vote("bob", 0),
            CounterChange.Like("dave", true),
            CounterChange.Vote("carol", -1),
            CounterChange.Like("dave", false),
            CounterChange.Vote("erin", 1),
            CounterChange.Like("alice", true),
        ];
        var before = app.Statements;
        var batch = await comments.InTransactionAsync(appId, tx => CommentWrites.ApplyCountersAsync(tx, comment.Id, changes, DateTimeOffset.UtcNow), Ct);
        var statements = app.Statements - before;

        var expected = new (long Up, long Down, long Likes, int MyVote, bool Liked)?[]
        {
            (1, 0, 0, 1, false),
            (1, 1, 0, -1, false),
            null,
            (0, 1, 0, 0, false),
            (0, 1, 1, 0, true),
            (0, 1, 1, -1, false),
            (0, 1, 0, 0, false),
            (1, 1, 0, 1, false),
            (1, 1, 1, 0, true),
        };
        batch.Outcomes.Select(o => o.Counts is { } c ? (c.Upvotes, c.Downvotes, c.Likes, c.MyVote, c.Liked) : ((long, long, long, int, bool)?)null)
            .ShouldBe(expected);
        batch.Outcomes[2].Refusal.ShouldBeOfType<ApiException>().Code.ShouldBe(CommentErrors.CannotVoteOwnComment);
        (batch.Changed!.Upvotes, batch.Changed.Downvotes, batch.Changed.Likes).ShouldBe((1L, 1L, 1L));

        var votes = (await connection.QueryAsync<(string, long)>(
            "SELECT user_id, value FROM comment_votes WHERE comment_id = @Id ORDER BY user_id", new { comment.Id })).ToList();
        votes.ShouldBe([("carol", -1L), ("erin", 1L)], "bob's vote came and went within the batch: no row");
        (await connection.QueryAsync<string>("SELECT user_id FROM comment_likes WHERE comment_id = @Id", new { comment.Id })).ShouldBe(["alice"]);
        var seen = await alice.GetCommentAsync(comment.Id);
        (seen.Upvotes, seen.Downvotes, seen.Likes, seen.Liked).ShouldBe((1L, 1L, 1L, (bool?)true));

        if (store == "postgres")
        {
            // Lock and read the comment, the thread's lock, the users' rows; upsert the votes, insert the like, set the counters.
            statements.ShouldBe(6);
            var crowd = Enumerable.Range(0, 200).Select(i => CounterChange.Vote($"voter-{i}", i % 3 - 1)).ToArray();
            before = app.Statements;
            var big = await comments.InTransactionAsync(appId, tx => CommentWrites.ApplyCountersAsync(tx, comment.Id, crowd, DateTimeOffset.UtcNow), Ct);
            (app.Statements - before).ShouldBe(5, "200 votes: the same statements, with arrays (no like this time)");
            (big.Changed!.Upvotes, big.Changed.Downvotes).ShouldBe((1L + crowd.Count(c => c.Value == 1), 1L + crowd.Count(c => c.Value == -1)));
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Rules_that_concern_the_comment_refuse_the_whole_batch(string store)
    {
        await using var app = await CommentsApp.StartAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var server = tenant.Server();
        var comment = await alice.PostCommentAsync(NewThread(), "soon locked");
        (await server.PutAsync($"/v1/threads/{comment.ThreadId}/lock", null, Ct)).EnsureSuccessStatusCode();
        var database = app.Services.GetRequiredService<StoaDatabase>();
        await using var connection = await database.OpenAsync(Ct);
        var appId = await connection.ExecuteScalarAsync<Guid>("SELECT app_id FROM comments WHERE id = @Id", new { comment.Id });
        var comments = app.Services.GetRequiredService<ICommentStore>();

        var batch = await comments.InTransactionAsync(appId,
            tx => CommentWrites.ApplyCountersAsync(tx, comment.Id, [CounterChange.Vote("bob", 1), CounterChange.Vote("alice", 1), CounterChange.Like("bob", true)],
                DateTimeOffset.UtcNow), Ct);
        batch.Outcomes.Select(o => ((ApiException)o.Refusal!).Code).ShouldBe([CommentErrors.ThreadLocked, CommentErrors.CannotVoteOwnComment, CommentErrors.ThreadLocked]);
        batch.Changed.ShouldBeNull();
        (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM comment_votes WHERE comment_id = @Id", new { comment.Id })).ShouldBe(0);

        var missing = await Should.ThrowAsync<ApiException>(comments.InTransactionAsync(appId,
            tx => CommentWrites.ApplyCountersAsync(tx, Guid.NewGuid(), [CounterChange.Vote("bob", 1)], DateTimeOffset.UtcNow), Ct));
        missing.Code.ShouldBe(CommentErrors.CommentNotFound);
    }
}
