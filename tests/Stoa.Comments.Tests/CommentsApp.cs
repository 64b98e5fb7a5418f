using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Comments.Api;
using Stoa.Comments.Contracts;
using Stoa.Comments.Storage;
using Stoa.Testing;

[assembly: AssemblyFixture(typeof(Stoa.Comments.Tests.SharedApps))]

// Streams and raw clients of the shared apps do not pass the factory's checking handler: a response that breaks the
// OpenAPI document fails a test that was running then, not only the fixture's disposal after every test passed.
[assembly: Stoa.Testing.Contract.FailOnContractViolations]

namespace Stoa.Comments.Tests;

/// <summary>The real server over a fresh store, with rate limits off (tests write faster than any user would).</summary>
public sealed class CommentsApp : StoaAppFactory<Program>
{
    public CommentsApp(string store, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
        : base(store, WithDefaults(settings))
    {
        TestServices = services =>
        {
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(new ErrorLog());
            if (time is not null)
            {
                services.AddSingleton(time);
            }
        };
    }

    /// <summary>SQL statements the comments store has sent so far.</summary>
    public long Statements => Services.GetRequiredService<Stoa.Foundation.Sql.StoaDatabase>().StatementCount(SqlCommentStore.Module);

    public static async Task<CommentsApp> StartAsync(string kind, IReadOnlyDictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        var app = new CommentsApp(await TestStores.CreateAsync(kind), settings, time);
        app.StartServer();
        return app;
    }

    private static Dictionary<string, string?> WithDefaults(IReadOnlyDictionary<string, string?>? settings) =>
        TestSettings.Merge(new Dictionary<string, string?> { ["Stoa:RateLimits:Enabled"] = "false" }, settings);
}

/// <summary>
/// One app per store for the whole run; each test takes fresh tenants and thread ids, so tests share the server but
/// never each other's data. Tests that count statements or move the clock start their own app.
/// </summary>
public sealed class SharedApps : IAsyncDisposable
{
    private readonly Lazy<Task<CommentsApp>> _sqlite = new(() => CommentsApp.StartAsync("sqlite"));
    private readonly Lazy<Task<CommentsApp>> _postgres = new(() => CommentsApp.StartAsync("postgres"));

    public Task<CommentsApp> GetAsync(string kind) => kind == "postgres" ? _postgres.Value : _sqlite.Value;

    public async ValueTask DisposeAsync()
    {
        foreach (var app in (Lazy<Task<CommentsApp>>[])[_sqlite, _postgres])
        {
            if (app.IsValueCreated)
            {
                await (await app.Value).DisposeAsync();
            }
        }
    }
}

/// <summary>Server errors go to a file next to the test binaries, where a failing test's 500 can be read.</summary>
public sealed class ErrorLog : Microsoft.Extensions.Logging.ILoggerProvider
{
    private static readonly Lock s_gate = new();

    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "server-errors.log");

    public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => new Logger(categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(string category) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel >= Microsoft.Extensions.Logging.LogLevel.Error;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state,
            Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lock (s_gate)
                {
                    File.AppendAllText(Path, $"{DateTime.UtcNow:O} {category}: {formatter(state, exception)}\n{exception}\n\n");
                }
            }
        }
    }
}

/// <summary>A clock tests can move forward (edit windows) without waiting.</summary>
public sealed class ShiftableTime : TimeProvider
{
    private long _offsetTicks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));
}

internal static class CommentClient
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string NewThread() => "thread-" + Guid.NewGuid().ToString("N")[..12];

    public static async Task<CommentResponse> PostCommentAsync(this HttpClient client, string thread, string body, Guid? parentId = null)
    {
        var response = await client.PostAsJsonAsync($"/v1/threads/{Uri.EscapeDataString(thread)}/comments", new { body, parentId }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<CommentResponse>(Ct))!;
    }

    public static async Task<CommentListResponse> ListAsync(this HttpClient client, string thread, string query = "")
    {
        var response = await client.GetAsync($"/v1/threads/{Uri.EscapeDataString(thread)}/comments?{query}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<CommentListResponse>(Ct))!;
    }

    public static async Task<CommentResponse> GetCommentAsync(this HttpClient client, Guid id)
    {
        var response = await client.GetAsync($"/v1/comments/{id}", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<CommentResponse>(Ct))!;
    }

    public static Task<HttpResponseMessage> PutVoteAsync(this HttpClient client, Guid id, int value) =>
        client.PutAsJsonAsync($"/v1/comments/{id}/vote", new { value }, Ct);

    public static async Task<CountsResponse> VoteAsync(this HttpClient client, Guid id, int value)
    {
        var response = await client.PutVoteAsync(id, value);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<CountsResponse>(Ct))!;
    }

    public static Task<HttpResponseMessage> PutLikeAsync(this HttpClient client, Guid id, bool like = true) =>
        like ? client.PutAsync($"/v1/comments/{id}/like", null, Ct) : client.DeleteAsync($"/v1/comments/{id}/like", Ct);

    public static async Task<CountsResponse> LikeAsync(this HttpClient client, Guid id, bool like = true)
    {
        var response = await client.PutLikeAsync(id, like);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return (await response.Content.ReadFromJsonAsync<CountsResponse>(Ct))!;
    }
}
