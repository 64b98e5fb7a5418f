using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Stoa.HostileSweep;

/// <summary>
/// Sends every <c>/v1</c> operation of the target's OpenAPI document its hostile cases and checks each answer:
/// no 5xx (except 502/503/504 from previews, whose upstreams fail for real), every 4xx/5xx an
/// <c>application/problem+json</c> body with a <c>code</c>, forged credentials refused, another app's ids never
/// served, oversized bodies refused with 413.
/// </summary>
public sealed class SweepRunner(SweepTarget target)
{
    private const int MaxBodyRead = 256 * 1024;
    private static readonly string[] s_phases = ["GET", "POST", "PATCH", "PUT", "DELETE"];

    public async Task<SweepReport> RunAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var http = CreateClient();
        var openApi = await http.GetStringAsync(new Uri(target.BaseAddress, "/openapi/v1.json"), cancellationToken);
        var operations = OpenApiReader.Read(openApi);
        if (operations.Count == 0)
        {
            throw new InvalidOperationException("The OpenAPI document lists no /v1 operation.");
        }

        var ids = new SeededIds();
        var cases = new HostileCases(target, ids);
        var findings = new ConcurrentQueue<SweepFinding>();
        var statuses = new ConcurrentDictionary<int, int>();
        var transport = 0;
        var requests = 0;
        if (target.BaseAddress.Scheme == Uri.UriSchemeHttp)
        {
            foreach (var (name, raw) in RawHttpCases.All(target.BaseAddress.Authority))
            {
                Interlocked.Increment(ref requests);
                var (status, rule, answer) = await RawHttpCases.CheckAsync(target.BaseAddress, raw, cancellationToken);
                if (status is { } s)
                {
                    statuses.AddOrUpdate(s, 1, (_, n) => n + 1);
                    transport += s >= 400 ? 1 : 0;
                }

                if (rule is not null)
                {
                    findings.Enqueue(new SweepFinding("raw HTTP", name, raw.Length > 120 ? raw[..120] + "…" : raw, status, null, rule,
                        answer.Length > 300 ? answer[..300] + "…" : answer));
                }
            }
        }


        async Task Send(HostileCase hostile, Action<HttpResponseMessage>? inspect = null)
        {
            Interlocked.Increment(ref requests);
            var (status, finding, response) = await SendAndCheckAsync(http, hostile, cancellationToken);
            using (response)
            {
                if (status is { } s)
                {
                    statuses.AddOrUpdate(s, 1, (_, n) => n + 1);
                }

                if (finding is not null)
                {
                    findings.Enqueue(finding);
                }

                if (response is not null)
                {
                    inspect?.Invoke(response);
                }
            }
        }

        var user = Credentials(target.ApiKey, target.UserToken);
        var otherUser = Credentials(target.OtherApiKey, target.OtherUserToken);

        // Seeds: each create operation once per app, so that cases can use real ids of both.
        foreach (var create in operations.Where(o => o.Method == "POST" && !o.PathTemplate.Contains("{id}", StringComparison.Ordinal)))
        {
            await Send(cases.Plausible(create, user, "seed"), r => AddLocation(ids, own: true, r));
            await Send(cases.Plausible(create, otherUser, "seed (other app)"), r => AddLocation(ids, own: false, r));
        }

        // Destructive methods go last, so that the seeded resources live while the other cases need them (a DELETE
        // baseline would delete the seeded comment, a thread lock would refuse every new comment after it).
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = target.Concurrency, CancellationToken = cancellationToken };
        // Server-only operations get the server token when there is one, so that their bodies are validated too.
        var credentials = new Dictionary<ApiOperation, IReadOnlyList<KeyValuePair<string, string>>>();
        foreach (var phase in operations.GroupBy(o => Array.IndexOf(s_phases, o.Method)).OrderBy(g => g.Key))
        {
            foreach (var operation in phase)
            {
                credentials[operation] = user;
                await Send(cases.Plausible(operation, user), response =>
                {
                    if (response.StatusCode == HttpStatusCode.Forbidden && target.ServerToken is { } server)
                    {
                        credentials[operation] = Credentials(target.ApiKey, server);
                    }
                });
            }

            var batch = phase.SelectMany(o => cases.For(o, credentials[o])).Take(Math.Max(0, target.MaxRequests - requests)).ToList();
            await Parallel.ForEachAsync(batch, parallel, async (hostile, _) => await Send(hostile));
        }

        var methods = operations.GroupBy(o => o.PathTemplate)
            .SelectMany(g => cases.Methods(g.First(), g.Select(o => o.Method).ToHashSet(), user))
            .Take(Math.Max(0, target.MaxRequests - requests))
            .ToList();
        await Parallel.ForEachAsync(methods, parallel, async (hostile, _) => await Send(hostile));

        // Last, as it deletes and locks what it finds: the contract pass, driven by the document's constraints.
        var fuzzRequests = 0;
        if (target.FuzzSeed is { } seed)
        {
            var fuzz = new ContractFuzz(ids, seed);
            var contract = operations.OrderBy(o => Array.IndexOf(s_phases, o.Method))
                .SelectMany(o => fuzz.For(o, credentials.GetValueOrDefault(o, user)))
                .Take(target.MaxFuzzRequests)
                .ToList();
            fuzzRequests = contract.Count;
            await Parallel.ForEachAsync(contract, parallel, async (hostile, _) => await Send(hostile));
        }

        var ordered = findings.OrderBy(f => f.Operation, StringComparer.Ordinal).ThenBy(f => f.Case, StringComparer.Ordinal).ToList();
        return new SweepReport(operations.Count, requests, ordered, new SortedDictionary<int, int>(statuses), transport, clock.Elapsed)
        {
            FuzzRequests = fuzzRequests,
            FuzzSeed = target.FuzzSeed,
        };
    }

    private async Task<(int? Status, SweepFinding? Finding, HttpResponseMessage? Response)> SendAndCheckAsync(
        HttpClient http, HostileCase hostile, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(hostile.Method), new Uri(target.BaseAddress.GetLeftPart(UriPartial.Authority) + hostile.PathAndQuery));
        foreach (var (name, value) in hostile.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (hostile.Body is { } body)
        {
            request.Content = hostile.ChunkedBody ? new ChunkedContent(body) : new ByteArrayContent(body);
            if (hostile.ContentType is { } contentType)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }

            // A server may refuse an oversized body and close the connection while it is still being sent, which the
            // client sees as a broken pipe instead of the 413. Waiting for "100 Continue" lets the 413 arrive first.
            request.Headers.ExpectContinue = hostile.Expectation == Expectation.TooLarge;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(target.RequestTimeout);
        HttpResponseMessage response;
        string text;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            text = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? "" : await ReadAsync(response, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, Finding(hostile, null, null, $"no answer within {target.RequestTimeout.TotalSeconds:F0} s", ""), null);
        }
        catch (HttpRequestException ex)
        {
            return (null, Finding(hostile, null, null, $"connection failed: {ex.Message}", ""), null);
        }

        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var rule = Check(hostile, status, mediaType, text);
        return (status, rule is null ? null : Finding(hostile, status, mediaType, rule, text), response);
    }

    /// <summary>The rule the response breaks, or null.</summary>
    private static string? Check(HostileCase hostile, int status, string? mediaType, string body)
    {
        // A 503 saying the store is busy or down is the right answer under load (the client retries), not an
        // input-handling bug; the sweep runs inside a full, parallel test suite on a small machine.
        var storeUnderLoad = status == 503 && (body.Contains("\"store_busy\"", StringComparison.Ordinal)
            || body.Contains("\"store_unavailable\"", StringComparison.Ordinal));
        if (status >= 500 && !storeUnderLoad
            && !(status is 502 or 503 or 504 && hostile.Operation.PathTemplate.StartsWith("/v1/previews", StringComparison.Ordinal)))
        {
            return "server error";
        }

        if (status >= 400 && !IsProblemWithCode(mediaType, body))
        {
            return "error without an application/problem+json body carrying a code";
        }

        if (ContractFuzz.Check(hostile, status, body) is { } contract)
        {
            return contract;
        }

        return hostile.Expectation switch
        {
            Expectation.Refused when status < 400 => "forged or foreign credentials were accepted",
            Expectation.NotFound when status is >= 200 and < 300 => "another app's resource was served (tenant isolation)",
            Expectation.TooLarge when status is not (413 or 429) => "a body over the size limit was not refused with 413",
            _ => null,
        };
    }

    private static bool IsProblemWithCode(string? mediaType, string body)
    {
        if (mediaType != "application/problem+json")
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("code", out var code)
                && code.ValueKind == JsonValueKind.String
                && code.GetString()!.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<string> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxBodyRead];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static SweepFinding Finding(HostileCase hostile, int? status, string? mediaType, string rule, string body) =>
        new(hostile.Operation.ToString(), hostile.Name, hostile.Summary, status, mediaType, rule, body.Length > 300 ? body[..300] + "…" : body);

    private static void AddLocation(SeededIds ids, bool own, HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode && response.Headers.Location is { } location)
        {
            ids.Add(own, location.IsAbsoluteUri ? location.AbsolutePath : location.OriginalString);
        }
    }

    private static IReadOnlyList<KeyValuePair<string, string>> Credentials(string apiKey, string token) =>
        [KeyValuePair.Create("X-Api-Key", apiKey), KeyValuePair.Create("Authorization", "Bearer " + token)];

    private static HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>A body sent without Content-Length (chunked), so that the size limit must hold while reading.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < body.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(body.AsMemory(offset, Math.Min(64 * 1024, body.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
