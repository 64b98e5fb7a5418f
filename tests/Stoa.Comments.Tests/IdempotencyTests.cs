using System.Net;
using System.Net.Http.Json;
using Stoa.Comments.Api;
using Stoa.Comments.Contracts;
using Stoa.Testing;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>
/// <c>Idempotency-Key</c> on creates: a client whose answer was lost (a node died, a proxy closed the connection)
/// sends the create again and gets the comment the first attempt made, not a second one.
/// </summary>
public sealed class IdempotencyTests(SharedApps apps)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Sending_a_keyed_create_again_returns_the_first_comment_and_counts_it_once(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var thread = NewThread();
        var parent = await alice.PostCommentAsync(thread, "parent");

        using var first = await PostKeyedAsync(alice, thread, "hello", "key-1", parent.Id);
        using var again = await PostKeyedAsync(alice, thread, "hello", "key-1", parent.Id);

        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync(Ct));
        again.StatusCode.ShouldBe(HttpStatusCode.Created, await again.Content.ReadAsStringAsync(Ct));
        first.Headers.Contains(ThreadsApi.IdempotentReplayedHeader).ShouldBeFalse();
        again.Headers.GetValues(ThreadsApi.IdempotentReplayedHeader).ShouldBe(["true"]);
        var a = (await first.Content.ReadFromJsonAsync<CommentResponse>(Ct))!;
        var b = (await again.Content.ReadFromJsonAsync<CommentResponse>(Ct))!;
        b.Id.ShouldBe(a.Id);
        b.CreatedAt.ShouldBe(a.CreatedAt);
        again.Headers.Location!.ToString().ShouldBe($"/v1/comments/{a.Id}");

        var info = await tenant.App().GetFromJsonAsync<ThreadResponse>($"/v1/threads/{thread}", Ct);
        info!.CommentCount.ShouldBe(2);
        (await alice.GetCommentAsync(parent.Id)).ReplyCount.ShouldBe(1);
        (await alice.ListAsync(thread, "sort=old&replies=10&depth=2")).Items.Single().Replies!.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Keys_belong_to_one_user_and_one_app(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        var other = await app.CreateTenantAsync();
        var thread = NewThread();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");
        using var otherAlice = other.User("alice");

        var ids = new List<Guid>();
        foreach (var client in (HttpClient[])[alice, bob, otherAlice])
        {
            using var response = await PostKeyedAsync(client, thread, "same key", "shared-key");
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
            response.Headers.Contains(ThreadsApi.IdempotentReplayedHeader).ShouldBeFalse();
            ids.Add((await response.Content.ReadFromJsonAsync<CommentResponse>(Ct))!.Id);
        }

        ids.Distinct().Count().ShouldBe(3);
        (await tenant.App().GetFromJsonAsync<ThreadResponse>($"/v1/threads/{thread}", Ct))!.CommentCount.ShouldBe(2);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Concurrent_sends_of_one_keyed_create_make_one_comment(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        var thread = NewThread();
        var clients = Enumerable.Range(0, 8).Select(_ => tenant.User("alice")).ToArray();

        var responses = await Task.WhenAll(clients.Select(c => PostKeyedAsync(c, thread, "once", "race-key")));

        var ids = new HashSet<Guid>();
        foreach (var response in responses)
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
            ids.Add((await response.Content.ReadFromJsonAsync<CommentResponse>(Ct))!.Id);
            response.Dispose();
        }

        ids.Count.ShouldBe(1);
        responses.Count(r => !r.Headers.Contains(ThreadsApi.IdempotentReplayedHeader)).ShouldBe(1);
        (await tenant.App().GetFromJsonAsync<ThreadResponse>($"/v1/threads/{thread}", Ct))!.CommentCount.ShouldBe(1);
        foreach (var client in clients)
        {
            client.Dispose();
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task A_key_reused_for_another_thread_is_409_and_writes_nothing(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var (thread, otherThread) = (NewThread(), NewThread());
        (await PostKeyedAsync(alice, thread, "first", "k")).StatusCode.ShouldBe(HttpStatusCode.Created);

        using var reused = await PostKeyedAsync(alice, otherThread, "second", "k");

        await reused.ShouldBeProblemAsync(HttpStatusCode.Conflict, "idempotency_key_reused");
        (await tenant.App().GetFromJsonAsync<ThreadResponse>($"/v1/threads/{otherThread}", Ct))!.CommentCount.ShouldBe(0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\tinside")]
    [InlineData("x", 256)]
    public async Task A_malformed_key_is_400_and_writes_nothing(string key, int repeat = 1)
    {
        var app = await apps.GetAsync("sqlite");
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var thread = NewThread();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/threads/{thread}/comments")
        {
            Content = JsonContent.Create(new { body = "x" }),
        };
        request.Headers.TryAddWithoutValidation(ThreadsApi.IdempotencyKeyHeader, string.Concat(Enumerable.Repeat(key, repeat)));

        using var response = await alice.SendAsync(request, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_idempotency_key");
        (await tenant.App().GetFromJsonAsync<ThreadResponse>($"/v1/threads/{thread}", Ct))!.CommentCount.ShouldBe(0);
    }

    private static Task<HttpResponseMessage> PostKeyedAsync(HttpClient client, string thread, string body, string key, Guid? parentId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/threads/{thread}/comments")
        {
            Content = JsonContent.Create(new { body, parentId }),
        };
        request.Headers.Add(ThreadsApi.IdempotencyKeyHeader, key);
        return client.SendAsync(request, Ct);
    }
}
