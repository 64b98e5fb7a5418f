using System.Text.Json;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>The thread's server-sent events carry new comments and count changes, with credentials in the query.</summary>
public sealed class EventStreamTests(SharedApps apps)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Stream_receives_new_comments_and_count_changes_including_a_parents_reply_count(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        var thread = NewThread();
        // A guard against a hang, not a timing assertion.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(30));

        // EventSource cannot send headers: the API key travels in the query string.
        using var listener = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/threads/{thread}/events?api_key={tenant.ApiKey}");
        using var response = await listener.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
        response.EnsureSuccessStatusCode();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(guard.Token));
        (await reader.ReadLineAsync(guard.Token)).ShouldBe(": connected");

        var comment = await alice.PostCommentAsync(thread, "live");
        var (type, data) = await NextEventAsync(reader, guard.Token);
        type.ShouldBe("comment.created");
        var created = data.GetProperty("comment");
        created.GetProperty("id").GetGuid().ShouldBe(comment.Id);
        created.GetProperty("body").GetString().ShouldBe("live");

        await bob.VoteAsync(comment.Id, 1);
        (type, data) = await NextEventAsync(reader, guard.Token);
        type.ShouldBe("comment.counts");
        var counts = data.GetProperty("counts");
        counts.GetProperty("id").GetGuid().ShouldBe(comment.Id);
        counts.GetProperty("upvotes").GetInt64().ShouldBe(1);
        counts.TryGetProperty("myVote", out _).ShouldBeFalse("events go to everyone: no viewer state");

        await bob.LikeAsync(comment.Id);
        (type, data) = await NextEventAsync(reader, guard.Token);
        type.ShouldBe("comment.counts");
        data.GetProperty("counts").GetProperty("likes").GetInt64().ShouldBe(1);

        // A reply: the reply itself, then its parent's counters with the reply counted and the rest unchanged.
        var reply = await bob.PostCommentAsync(thread, "a reply", comment.Id);
        (type, data) = await NextEventAsync(reader, guard.Token);
        type.ShouldBe("comment.created");
        data.GetProperty("comment").GetProperty("id").GetGuid().ShouldBe(reply.Id);
        (type, data) = await NextEventAsync(reader, guard.Token);
        type.ShouldBe("comment.counts");
        counts = data.GetProperty("counts");
        counts.GetProperty("id").GetGuid().ShouldBe(comment.Id);
        counts.GetProperty("replyCount").GetInt64().ShouldBe(1);
        counts.GetProperty("upvotes").GetInt64().ShouldBe(1);
        counts.GetProperty("likes").GetInt64().ShouldBe(1);
        counts.TryGetProperty("myVote", out _).ShouldBeFalse();
    }

    [Fact]
    public async Task Stream_refuses_a_missing_api_key()
    {
        var app = await apps.GetAsync("sqlite");
        using var client = app.CreateClient();
        var response = await client.GetAsync($"/v1/threads/{NewThread()}/events", Ct);
        ((int)response.StatusCode).ShouldBe(401);
    }

    private static async Task<(string Type, JsonElement Data)> NextEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? type = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException();
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type is not null)
            {
                return (type, JsonDocument.Parse(line["data: ".Length..]).RootElement);
            }
        }
    }
}
