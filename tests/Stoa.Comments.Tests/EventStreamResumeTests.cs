using System.Text.Json;
using Stoa.Testing;
using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>
/// A thread's stream is resumable: every event carries an id, and a client that reconnects (to any node) with the last
/// id it got is sent what happened in between, or told to reload when the history no longer reaches back.
/// </summary>
public sealed class EventStreamResumeTests
{
    [Fact]
    public async Task A_client_reconnecting_to_another_node_with_its_last_event_id_gets_what_it_missed()
    {
        await using var redis = await RedisServer.StartAsync();
        var store = await TestStores.CreateAsync("postgres");
        var settings = new Dictionary<string, string?> { ["Stoa:Redis"] = redis.Url };
        await using var nodeA = new CommentsApp(store, settings);
        await using var nodeB = new CommentsApp(store, settings);
        nodeA.StartServer();
        nodeB.StartServer();
        var tenant = await nodeA.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var thread = NewThread();
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(30));

        string lastId;
        using (var first = await OpenAsync(nodeA, tenant.ApiKey, thread, lastEventId: null, guard.Token))
        {
            await alice.PostCommentAsync(thread, "one");
            var one = await NextEventAsync(first.Reader, guard.Token);
            (one.Type, one.Data.GetProperty("comment").GetProperty("body").GetString()).ShouldBe(("comment.created", "one"));
            lastId = one.Id.ShouldNotBeNull("every event carries an id");
        }

        // While the client is away, two more comments land (through the other node).
        using var bob = new TestTenant(tenant.ApiKey, tenant.Secret, nodeB.CreateClient).User("bob");
        await bob.PostCommentAsync(thread, "two");
        await bob.PostCommentAsync(thread, "three");

        using var resumed = await OpenAsync(nodeB, tenant.ApiKey, thread, lastId, guard.Token);
        var missed = new[] { await NextEventAsync(resumed.Reader, guard.Token), await NextEventAsync(resumed.Reader, guard.Token) };
        missed.Select(e => e.Data.GetProperty("comment").GetProperty("body").GetString()).ShouldBe(["two", "three"]);
        missed.ShouldAllBe(e => e.Id != null && e.Id != lastId);

        await alice.PostCommentAsync(thread, "four");
        (await NextEventAsync(resumed.Reader, guard.Token)).Data.GetProperty("comment").GetProperty("body").GetString().ShouldBe("four");
    }

    [Fact]
    public async Task A_last_event_id_the_history_does_not_hold_gets_a_reload_event()
    {
        await using var app = await CommentsApp.StartAsync("sqlite");
        var tenant = await app.CreateTenantAsync();
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(30));
        using var stream = await OpenAsync(app, tenant.ApiKey, NewThread(), lastEventId: "1-0", guard.Token);
        var reload = await NextEventAsync(stream.Reader, guard.Token);
        (reload.Type, reload.Id).ShouldBe(("reload", (string?)null));
    }

    private static async Task<Stream> OpenAsync(CommentsApp app, string apiKey, string thread, string? lastEventId, CancellationToken cancellationToken)
    {
        var client = app.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/threads/{thread}/events?api_key={apiKey}");
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        return new Stream(client, response, new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken)));
    }

    private static async Task<(string? Id, string Type, JsonElement Data)> NextEventAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        string? id = null;
        string? type = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken) ?? throw new EndOfStreamException();
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line["id: ".Length..];
            }
            else if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                type = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && type is not null)
            {
                return (id, type, JsonDocument.Parse(line["data: ".Length..]).RootElement);
            }
        }
    }

    private sealed class Stream(HttpClient client, HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public StreamReader Reader => reader;

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
            client.Dispose();
        }
    }
}
