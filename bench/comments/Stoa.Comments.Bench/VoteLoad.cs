using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Stoa.Comments.Bench;

/// <summary>What <c>votes</c> runs: how many voters, for how long, on which comment of which app.</summary>
internal sealed record VoteOptions(Uri BaseUrl, string ApiKey, string Secret, Guid? Comment, int Voters, TimeSpan Warmup, TimeSpan Duration,
    IReadOnlyList<Uri> MetricsNodes);

/// <summary>
/// Many voters on one comment, each with one request in flight (closed loop), each request a real change from the
/// voter's state as the server last acknowledged it: up, down, clear, like, unlike, in turn. A request counts as a
/// change only when its answer shows the voter's state moved, so the figure is the work the server did, not the
/// requests it answered. Afterwards the comment's counts must equal its counts before plus every voter's net change.
/// </summary>
internal static class VoteLoad
{
    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(VoteOptions options, TextWriter output)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = options.Voters + 16,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        };
        using var http = new HttpClient(handler) { BaseAddress = options.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", options.ApiKey);

        var comment = options.Comment ?? await CreateCommentAsync(http, options.Secret);
        var voters = Enumerable.Range(0, options.Voters)
            .Select(i => new Voter(Tokens.User(options.Secret, $"bench-voter-{i}", TimeSpan.FromHours(2))))
            .ToArray();
        await Task.WhenAll(voters.Select(v => v.ReadStateAsync(http, comment)));
        var initialStates = voters.Select(v => v.State).ToArray();
        var before = await ReadCountsAsync(http, comment, token: null);
        var retriesBefore = await Metrics.SumAsync(options.MetricsNodes, "stoa_store_transaction_retries_total");

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var measureTo = measureFrom + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        await Task.WhenAll(voters.Select((v, i) => Task.Run(() => v.RunAsync(http, comment, i, measureFrom, measureTo))));

        // An answer that never came leaves the voter's state unknown: the server's rows say what it is.
        await Task.WhenAll(voters.Where(v => v.Unknown).Select(v => v.ReadStateAsync(http, comment)));
        var after = await ReadCountsAsync(http, comment, token: null);
        var retries = await Metrics.SumAsync(options.MetricsNodes, "stoa_store_transaction_retries_total") - retriesBefore;

        var expected = before;
        for (var i = 0; i < voters.Length; i++)
        {
            expected = expected.Plus(voters[i].State, initialStates[i]);
        }

        var requests = voters.Sum(v => v.Requests);
        var changes = voters.Sum(v => v.Changes);
        var errors = voters.Sum(v => v.Errors);
        var latencies = voters.SelectMany(v => v.Latencies).Order().ToArray();
        var seconds = options.Duration.TotalSeconds;
        var exact = after == expected;
        var max = latencies.Length == 0 ? 0 : latencies[^1];
        var retried = options.MetricsNodes.Count > 0 ? string.Create(CultureInfo.InvariantCulture, $" store_retries={retries:0}") : "";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            comment={comment} voters={options.Voters} seconds={seconds:0.#} requests={requests} changes={changes} changes_per_s={changes / seconds:0} requests_per_s={requests / seconds:0} errors={errors} p50={Percentile(latencies, 0.50):0.0}ms p99={Percentile(latencies, 0.99):0.0}ms max={max:0.0}ms{retried} counts={after} expected={expected} {(exact ? "exact" : "MISMATCH")}
            """));
        return exact ? 0 : 1;
    }

    private static async Task<Guid> CreateCommentAsync(HttpClient http, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/threads/bench-votes-{Guid.NewGuid():N}/comments")
        {
            Content = JsonContent.Create(new { body = "a hot comment" }),
        };
        request.Headers.Authorization = new("Bearer", Tokens.User(secret, "bench-author", TimeSpan.FromHours(1)));
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(s_json)).GetProperty("id").GetGuid();
    }

    private static async Task<Counts> ReadCountsAsync(HttpClient http, Guid comment, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/comments/{comment}");
        if (token is not null)
        {
            request.Headers.Authorization = new("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Counts>(s_json))!;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(sorted.Length * p) - 1)];

    /// <summary>A comment's counts, and the caller's own vote and like when a user asked.</summary>
    private sealed record Counts(long Upvotes, long Downvotes, long Likes, int? MyVote, bool? Liked)
    {
        public Counts Plus((int Vote, bool Liked) now, (int Vote, bool Liked) was) => this with
        {
            Upvotes = Upvotes + (now.Vote == 1 ? 1 : 0) - (was.Vote == 1 ? 1 : 0),
            Downvotes = Downvotes + (now.Vote == -1 ? 1 : 0) - (was.Vote == -1 ? 1 : 0),
            Likes = Likes + (now.Liked ? 1 : 0) - (was.Liked ? 1 : 0),
            MyVote = null,
            Liked = null,
        };

        public override string ToString() => $"{Upvotes}/{Downvotes}/{Likes}";
    }

    private sealed class Voter(string token)
    {
        private static readonly (string Method, string Path, int? Vote)[] s_cycle =
        [
            ("PUT", "vote", 1), ("PUT", "vote", -1), ("PUT", "vote", 0), ("PUT", "like", null), ("DELETE", "like", null),
        ];

        public (int Vote, bool Liked) State { get; private set; }

        public bool Unknown { get; private set; }

        public long Requests { get; private set; }

        public long Changes { get; private set; }

        public long Errors { get; private set; }

        public List<double> Latencies { get; } = [];

        public async Task ReadStateAsync(HttpClient http, Guid comment)
        {
            var counts = await ReadCountsAsync(http, comment, token);
            State = (counts.MyVote ?? 0, counts.Liked ?? false);
            Unknown = false;
        }

        public async Task RunAsync(HttpClient http, Guid comment, int offset, long measureFrom, long measureTo)
        {
            // Voters start at different points of the cycle, so that every kind of change is in every batch.
            var step = offset % s_cycle.Length;
            while (Stopwatch.GetTimestamp() < measureTo)
            {
                var (method, path, vote) = NextChange(ref step);
                using var request = new HttpRequestMessage(new HttpMethod(method), $"/v1/comments/{comment}/{path}");
                request.Headers.Authorization = new("Bearer", token);
                if (vote is { } value)
                {
                    request.Content = JsonContent.Create(new { value });
                }

                var sent = Stopwatch.GetTimestamp();
                Counts? answer = null;
                try
                {
                    using var response = await http.SendAsync(request);
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        answer = await response.Content.ReadFromJsonAsync<Counts>(s_json);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
                {
                }

                var done = Stopwatch.GetTimestamp();
                var measured = done >= measureFrom && done < measureTo;
                if (answer is null)
                {
                    Errors += measured ? 1 : 0;
                    await ReadStateAsync(http, comment);
                    continue;
                }

                var now = (answer.MyVote ?? 0, answer.Liked ?? false);
                if (measured)
                {
                    Requests++;
                    Changes += now != State ? 1 : 0;
                    Latencies.Add(Stopwatch.GetElapsedTime(sent, done).TotalMilliseconds);
                }

                State = now;
            }
        }

        /// <summary>The next change of the cycle that moves the voter's state, so every request is a real change.</summary>
        private (string Method, string Path, int? Vote) NextChange(ref int step)
        {
            for (var tries = 0; ; tries++, step = (step + 1) % s_cycle.Length)
            {
                var change = s_cycle[step];
                var changes = change.Vote is { } vote ? vote != State.Vote : (change.Method == "PUT") != State.Liked;
                if (changes || tries == s_cycle.Length)
                {
                    step = (step + 1) % s_cycle.Length;
                    return change;
                }
            }
        }
    }
}
