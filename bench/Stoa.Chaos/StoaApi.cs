using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Stoa.Chaos;

/// <summary>
/// The few /v1 calls the workload makes, each timed and classified into <see cref="Stats"/>. Like any HTTP client on a
/// kept-alive connection, it sends a request again once when the connection closed with no answer: a proxy does that
/// on purpose when the node died under a request (RFC 9112 §9.3.1; haproxy answers 502 only on a fresh connection).
/// Only requests safe to repeat are resent: GET and PUT, and POSTs that are idempotent by their own key.
/// </summary>
internal sealed class StoaApi(HttpClient http, Credentials credentials, Stats stats) : IDisposable
{
    /// <summary>deploy/haproxy.cfg names the node that answered in this header.</summary>
    public const string NodeHeader = "X-Stoa-Node";

    // Resends go on a connection of their own: a fresh client connection is never closed silently (haproxy answers
    // 502 node_failed there), and it does not wait behind the pool's other, possibly dead, connections.
    private readonly HttpClient _fresh = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero })
    {
        BaseAddress = http.BaseAddress,
        DefaultRequestVersion = http.DefaultRequestVersion,
    };

    public Credentials Credentials => credentials;

    /// <summary>Where requests are recorded; the chaos run swaps it per phase.</summary>
    public Stats Stats { get; set; } = stats;

    public Task<(Outcome Outcome, JsonElement Body)> GetAsync(string endpoint, string path, CancellationToken ct) =>
        SendAsync(endpoint, HttpMethod.Get, path, null, user: true, ct);

    /// <param name="idempotencyKey">Sent as <c>Idempotency-Key</c>; makes the POST safe to resend.</param>
    /// <param name="idempotent">The body makes the POST safe to resend by itself (a doc op's clientId and seq).</param>
    public Task<(Outcome Outcome, JsonElement Body)> PostAsync(string endpoint, string path, string json, CancellationToken ct,
        string? idempotencyKey = null, bool idempotent = false) =>
        SendAsync(endpoint, HttpMethod.Post, path, json, user: true, ct, idempotencyKey: idempotencyKey, idempotent: idempotent || idempotencyKey is not null);

    public Task<(Outcome Outcome, JsonElement Body)> VoteAsync(Guid comment, int value, CancellationToken ct) =>
        SendAsync("PUT /v1/comments/{id}/vote", HttpMethod.Put, $"/v1/comments/{comment}/vote", $"{{\"value\":{value}}}", user: true, ct, credentials.VoterToken);

    /// <summary>Sends without recording: for the verification reads after the workload.</summary>
    public async Task<JsonElement> ReadAsync(string path, CancellationToken ct, string? token = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (outcome, body) = await SendCoreAsync(HttpMethod.Get, path, null, user: true, ct, token);
            if (outcome.IsOk)
            {
                return body;
            }

            if (attempt == 10)
            {
                throw new InvalidOperationException($"GET {path}: {outcome.Status} {outcome.Detail}");
            }

            await Task.Delay(500, ct);
        }
    }

    /// <summary>The node haproxy sends <paramref name="path"/> to (for a document's path: the node that orders it).</summary>
    public async Task<string> NodeOfAsync(string path, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (outcome, _) = await SendCoreAsync(HttpMethod.Get, path, null, user: true, ct);
            if (outcome is { IsOk: true, Node: { } node })
            {
                return node;
            }

            if (attempt == 10)
            {
                throw new InvalidOperationException($"GET {path}: {outcome.Status} {outcome.Detail}, answered by {outcome.Node ?? "no node"}");
            }

            await Task.Delay(500, ct);
        }
    }

    public async Task<(Outcome Outcome, JsonElement Body)> SendAsync(
        string endpoint, HttpMethod method, string path, string? json, bool user, CancellationToken ct, string? token = null,
        string? idempotencyKey = null, bool idempotent = false)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await SendCoreAsync(method, path, json, user, ct, token, idempotencyKey);
        var safeToResend = idempotent || method == HttpMethod.Get || method == HttpMethod.Put || method == HttpMethod.Delete;
        if (result.Outcome.ClosedWithoutAnswer && safeToResend)
        {
            Stats.RecordResend();
            result = await SendCoreAsync(method, path, json, user, ct, token, idempotencyKey, _fresh);
        }

        Stats.Record(endpoint, Stopwatch.GetElapsedTime(started).TotalMilliseconds, result.Outcome);
        return result;
    }

    private async Task<(Outcome Outcome, JsonElement Body)> SendCoreAsync(
        HttpMethod method, string path, string? json, bool user, CancellationToken ct, string? token = null, string? idempotencyKey = null,
        HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", credentials.ApiKey);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (user)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? credentials.UserToken);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            using var response = await (client ?? http).SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            var body = Parse(text);
            var node = response.Headers.TryGetValues(NodeHeader, out var nodes) ? nodes.FirstOrDefault() : null;
            if (response.IsSuccessStatusCode)
            {
                return (Outcome.Success(status) with { Node = node }, body);
            }

            var isProblem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            var code = isProblem && body.ValueKind == JsonValueKind.Object && body.TryGetProperty("code", out var c) ? c.GetString() : null;
            // A fault in Redis, PostgreSQL or a node is a 503 with a code the client can act on; a 500 internal_error
            // means the fault reached code that did not expect it, which the suite reports as a failure.
            var kind = status >= 500 && code is not null && code != "internal_error" ? OutcomeKind.ProblemServerError : OutcomeKind.Bad;
            return (new Outcome(kind, status, code ?? Truncate(text)) { Node = node }, body);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ResponseEnded && !ct.IsCancellationRequested)
        {
            return (new Outcome(OutcomeKind.Bad, 0, "closed: " + Truncate(e.Message)) { ClosedWithoutAnswer = true }, default);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (new Outcome(OutcomeKind.Bad, 0, e.GetType().Name + ": " + Truncate(e.Message)), default);
        }
    }

    public void Dispose() => _fresh.Dispose();

    private static JsonElement Parse(string text)
    {
        try
        {
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement;
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string Truncate(string text) => text.Length <= 120 ? text.ReplaceLineEndings(" ") : text[..120].ReplaceLineEndings(" ");
}
