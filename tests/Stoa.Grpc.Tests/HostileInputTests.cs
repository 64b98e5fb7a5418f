using System.Net.Http.Json;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Stoa.Foundation.Grpc;
using Stoa.Grpc.V1;
using Stoa.Testing;

namespace Stoa.Grpc.Tests;

/// <summary>
/// Input a client controls, sent both ways: gRPC refuses it with the code REST answers (and the status nearest to
/// REST's 4xx), never INTERNAL or UNKNOWN, and input only the message form can carry is refused as invalid too.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly string s_longSymbol = new('A', 5_000);

    public static TheoryData<string> Cases => [.. Case.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Grpc_refuses_what_rest_refuses_with_the_same_code(string name)
    {
        var @case = Case.All.Single(c => c.Name == name);
        await using var node = new GrpcNode(TestStores.CreateSqlite());
        var tenant = await node.CreateTenantAsync();
        var ct = TestContext.Current.CancellationToken;
        using var server = tenant.Server();
        using var app = tenant.App();

        using var response = await @case.Rest(server, app, ct);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        var restCode = problem.GetProperty("code").GetString();
        ((int)response.StatusCode).ShouldBeInRange(400, 499, $"{name}: {problem}");

        var (status, code) = await Refusals.OfAsync(() => @case.Grpc(node.Channel(), tenant, ct));
        code.ShouldBe(restCode, name);
        status.ShouldBe(GrpcProblems.StatusFor((int)response.StatusCode), name);
        status.ShouldNotBeOneOf(StatusCode.Internal, StatusCode.Unknown);
    }

    [Fact]
    public async Task Input_only_a_message_can_carry_is_invalid_not_a_server_fault()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite());
        var tenant = await node.CreateTenantAsync();
        var ct = TestContext.Current.CancellationToken;
        var quotes = new V1.Quotes.QuotesClient(node.Channel());
        Task Put(PutQuoteRequest request) => quotes.PutQuoteAsync(request, GrpcNode.ServerToken(tenant), cancellationToken: ct).ResponseAsync;

        (await Refusals.OfAsync(() => Put(new PutQuoteRequest { Symbol = "AAPL", Price = "twelve" })))
            .ShouldBe((StatusCode.InvalidArgument, "validation_failed"));
        (await Refusals.OfAsync(() => Put(new PutQuoteRequest { Symbol = "AAPL", Price = new string('9', 900_000) })))
            .ShouldBe((StatusCode.InvalidArgument, "validation_failed"));
        (await Refusals.OfAsync(() => Put(new PutQuoteRequest { Symbol = "AAPL", Price = "1", At = new Timestamp { Seconds = long.MaxValue } })))
            .ShouldBe((StatusCode.InvalidArgument, "validation_failed"));
        (await Refusals.OfAsync(() => Put(new PutQuoteRequest { Symbol = "AAPL", Price = "1", At = new Timestamp { Seconds = 1, Nanos = -5 } })))
            .ShouldBe((StatusCode.InvalidArgument, "validation_failed"));
        (await Refusals.OfAsync(() => quotes.GetQuoteAsync(new GetQuoteRequest { Symbol = new string('A', 900_000) }, GrpcNode.Key(tenant),
                cancellationToken: ct).ResponseAsync))
            .ShouldBe((StatusCode.InvalidArgument, "invalid_symbol"));

        // Past Stoa:MaxRequestBodyBytes (1 MiB) a message is not read at all: gRPC's own refusal.
        var tooBig = await Should.ThrowAsync<RpcException>(() => quotes.GetQuoteAsync(new GetQuoteRequest { Symbol = new string('A', 2_000_000) },
            GrpcNode.Key(tenant), cancellationToken: ct).ResponseAsync);
        tooBig.StatusCode.ShouldBe(StatusCode.ResourceExhausted);

        // The node still answers.
        (await Refusals.OfAsync(() => quotes.GetQuoteAsync(new GetQuoteRequest { Symbol = "NONE" }, GrpcNode.Key(tenant), cancellationToken: ct).ResponseAsync))
            .ShouldBe((StatusCode.NotFound, "quote_not_found"));
    }

    [Fact]
    public async Task Bytes_that_are_no_message_are_invalid_argument_with_a_code()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite());
        var tenant = await node.CreateTenantAsync();
        var ct = TestContext.Current.CancellationToken;
        using var http = new HttpClient();

        // One length-prefixed gRPC frame whose three bytes are no protobuf message (a field tag with no end).
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node.GrpcAddress, "/stoa.v1.Quotes/GetQuote"))
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent([0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF]) { Headers = { ContentType = new("application/grpc") } },
        };
        request.Headers.Add("x-api-key", tenant.ApiKey);
        request.Headers.TE.Add(new("trailers"));
        using var response = await http.SendAsync(request, ct);
        await response.Content.ReadAsByteArrayAsync(ct);

        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.Single()
            : response.Headers.TryGetValues("grpc-status", out var header) ? header.Single() : null;
        status.ShouldNotBeNull($"{response} trailers: {response.TrailingHeaders}");
        // Grpc.AspNetCore alone would answer UNKNOWN with no code (and log an error per call); the message is checked
        // before it parses it.
        ((StatusCode)int.Parse(status, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(StatusCode.InvalidArgument);
        var code = response.TrailingHeaders.TryGetValues("stoa-code", out var codeTrailer) ? codeTrailer.Single()
            : response.Headers.TryGetValues("stoa-code", out var codeHeader) ? codeHeader.Single() : null;
        code.ShouldBe("bad_request");
    }

    private sealed record Case(
        string Name,
        Func<HttpClient, HttpClient, CancellationToken, Task<HttpResponseMessage>> Rest,
        Func<global::Grpc.Net.Client.GrpcChannel, TestTenant, CancellationToken, Task> Grpc)
    {
        public static IReadOnlyList<Case> All { get; } =
        [
            new("huge symbol", (server, _, ct) => server.GetAsync($"/v1/quotes/{s_longSymbol}", ct),
                (channel, t, ct) => new V1.Quotes.QuotesClient(channel).GetQuoteAsync(new GetQuoteRequest { Symbol = s_longSymbol }, GrpcNode.Key(t), cancellationToken: ct).ResponseAsync),
            new("symbol with a dollar", (server, _, ct) => server.GetAsync("/v1/quotes/A$B", ct),
                (channel, t, ct) => new V1.Quotes.QuotesClient(channel).GetQuoteAsync(new GetQuoteRequest { Symbol = "A$B" }, GrpcNode.Key(t), cancellationToken: ct).ResponseAsync),
            new("negative price", (server, _, ct) => server.PutAsJsonAsync("/v1/quotes/AAPL", new { price = -5 }, ct),
                (channel, t, ct) => Put(channel, t, new PutQuoteRequest { Symbol = "AAPL", Price = "-5" }, ct)),
            new("lower-case currency", (server, _, ct) => server.PutAsJsonAsync("/v1/quotes/AAPL", new { price = 5, currency = "usd" }, ct),
                (channel, t, ct) => Put(channel, t, new PutQuoteRequest { Symbol = "AAPL", Price = "5", Currency = "usd" }, ct)),
            new("seq beyond 2^53", (server, _, ct) => server.PutAsJsonAsync("/v1/quotes/AAPL", new { price = 5, seq = 1L << 60 }, ct),
                (channel, t, ct) => Put(channel, t, new PutQuoteRequest { Symbol = "AAPL", Price = "5", Seq = 1L << 60 }, ct)),
            new("watch of too many symbols", (server, _, ct) => server.GetAsync("/v1/quotes/stream?symbols=" + string.Join(',', Enumerable.Range(0, 101).Select(i => $"S{i}")), ct),
                (channel, t, ct) => Watch(channel, t, Enumerable.Range(0, 101).Select(i => $"S{i}"), ct)),
            new("watch of nothing", (server, _, ct) => server.GetAsync("/v1/quotes/stream?symbols=,", ct),
                (channel, t, ct) => Watch(channel, t, ["", " "], ct)),
            new("preview of no URL", (server, _, ct) => server.GetAsync("/v1/previews?url=", ct),
                (channel, t, ct) => Preview(channel, t, new GetPreviewRequest { Url = "" }, ct)),
            new("preview of a bad URL", (server, _, ct) => server.GetAsync("/v1/previews?url=" + Uri.EscapeDataString("http://[::zz]/"), ct),
                (channel, t, ct) => Preview(channel, t, new GetPreviewRequest { Url = "http://[::zz]/" }, ct)),
            new("preview of a private address", (server, _, ct) => server.GetAsync("/v1/previews?url=" + Uri.EscapeDataString("http://10.0.0.1/"), ct),
                (channel, t, ct) => Preview(channel, t, new GetPreviewRequest { Url = "http://10.0.0.1/" }, ct)),
            new("refresh without the server token", (_, app, ct) => app.GetAsync("/v1/previews?refresh=true&url=" + Uri.EscapeDataString("http://10.0.0.1/"), ct),
                (channel, t, ct) => new V1.Previews.PreviewsClient(channel).GetPreviewAsync(new GetPreviewRequest { Url = "http://10.0.0.1/", Refresh = true },
                    GrpcNode.Key(t), cancellationToken: ct).ResponseAsync),
            new("batch of too many URLs", (server, _, ct) => server.PostAsJsonAsync("/v1/previews/batch", new { urls = Enumerable.Repeat("http://10.0.0.1/", 21) }, ct),
                (channel, t, ct) => Batch(channel, t, Enumerable.Repeat("http://10.0.0.1/", 21), ct)),
            new("batch with an empty URL", (server, _, ct) => server.PostAsJsonAsync("/v1/previews/batch", new { urls = new[] { "http://10.0.0.1/", " " } }, ct),
                (channel, t, ct) => Batch(channel, t, ["http://10.0.0.1/", " "], ct)),
            new("empty batch", (server, _, ct) => server.PostAsJsonAsync("/v1/previews/batch", new { urls = Array.Empty<string>() }, ct),
                (channel, t, ct) => Batch(channel, t, [], ct)),
        ];

        private static Task Put(global::Grpc.Net.Client.GrpcChannel channel, TestTenant tenant, PutQuoteRequest request, CancellationToken ct) =>
            new V1.Quotes.QuotesClient(channel).PutQuoteAsync(request, GrpcNode.ServerToken(tenant), cancellationToken: ct).ResponseAsync;

        private static async Task Watch(global::Grpc.Net.Client.GrpcChannel channel, TestTenant tenant, IEnumerable<string> symbols, CancellationToken ct)
        {
            using var call = new V1.Quotes.QuotesClient(channel).WatchQuotes(new WatchQuotesRequest { Symbols = { symbols } }, GrpcNode.Key(tenant), cancellationToken: ct);
            await call.ResponseStream.MoveNext(ct);
        }

        private static Task Preview(global::Grpc.Net.Client.GrpcChannel channel, TestTenant tenant, GetPreviewRequest request, CancellationToken ct) =>
            new V1.Previews.PreviewsClient(channel).GetPreviewAsync(request, GrpcNode.ServerToken(tenant), cancellationToken: ct).ResponseAsync;

        private static Task Batch(global::Grpc.Net.Client.GrpcChannel channel, TestTenant tenant, IEnumerable<string> urls, CancellationToken ct) =>
            new V1.Previews.PreviewsClient(channel).BatchPreviewsAsync(new BatchPreviewsRequest { Urls = { urls } }, GrpcNode.ServerToken(tenant), cancellationToken: ct).ResponseAsync;
    }
}
