using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Stoa.Foundation.Errors;
using Stoa.Testing;

namespace Stoa.Server.Tests.Ids;

/// <summary>
/// Ids a client chooses come back exactly as sent on every route that takes one (docs/ids.md): the path segment is
/// percent-decoded once, so an encoded '/' is a '/', an encoded '%' a '%', and nothing is decoded twice.
/// </summary>
public sealed class IdRoundTripTests(IdRoundTripTests.Node node) : IClassFixture<IdRoundTripTests.Node>
{
    public static TheoryData<string> Ids { get; } =
    [
        "https://blog.example/post/1",
        "https://blog.example/search?q=a+b&page=2#top",
        "100% sure",
        "literally %2F, not a slash",
        "a/b/../c",
        "unicode ünïcödé 🙂 東京",
        "...",
        ".hidden",
        "trailing/",
    ];

    private readonly TestTenant _tenant = node.Tenant;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task A_thread_id_comes_back_as_sent_from_every_thread_route(string threadId)
    {
        using var alice = _tenant.User("alice");
        var path = $"/v1/threads/{Uri.EscapeDataString(threadId)}";

        var created = await alice.PostAsJsonAsync($"{path}/comments", new { body = "first" }, Ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Json(created)).GetProperty("threadId").GetString().ShouldBe(threadId);

        (await Json(await alice.GetAsync(path, Ct))).GetProperty("threadId").GetString().ShouldBe(threadId);
        var listed = (await Json(await alice.GetAsync($"{path}/comments", Ct))).GetProperty("items");
        listed.GetArrayLength().ShouldBe(1);
        listed[0].GetProperty("threadId").GetString().ShouldBe(threadId);

        using var server = _tenant.Server();
        (await Json(await server.PutAsync($"{path}/lock", null, Ct))).GetProperty("threadId").GetString().ShouldBe(threadId);
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public async Task A_user_id_comes_back_as_sent_from_every_follows_route(string userId)
    {
        using var alice = _tenant.User("alice");
        var path = $"/v1/users/{Uri.EscapeDataString(userId)}";

        var followed = await alice.PutAsync($"{path}/followers/me", null, Ct);
        followed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var counts = await Json(followed);
        (counts.GetProperty("userId").GetString(), counts.GetProperty("followers").GetInt64()).ShouldBe((userId, 1L));

        (await Json(await alice.GetAsync(path, Ct))).GetProperty("userId").GetString().ShouldBe(userId);
        var following = (await Json(await alice.GetAsync("/v1/users/alice/following", Ct))).GetProperty("items");
        following.EnumerateArray().Select(e => e.GetProperty("userId").GetString()).ShouldContain(userId);
    }

    [Fact]
    public async Task The_same_thread_is_reached_whatever_characters_the_client_chose_to_encode()
    {
        using var alice = _tenant.User("alice");
        (await alice.PostAsJsonAsync("/v1/threads/caf%C3%A9-menu/comments", new { body = "x" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        // An unreserved or non-ASCII character may be sent encoded or not; both name the same thread.
        var plain = await Json(await alice.GetAsync("/v1/threads/café-menu", Ct));
        var encoded = await Json(await alice.GetAsync("/v1/threads/%63af%C3%A9%2Dmenu", Ct));
        (plain.GetProperty("commentCount").GetInt64(), encoded.GetProperty("commentCount").GetInt64()).ShouldBe((1L, 1L));
    }

    [Theory]
    [InlineData("/v1/threads/{0}/comments")]
    [InlineData("/v1/users/{0}/followers/me")]
    public async Task Ids_longer_than_the_limit_or_with_control_characters_are_refused_alike(string route)
    {
        using var alice = _tenant.User("alice");
        foreach (var id in new[] { new string('x', 257), "tab\there" })
        {
            var response = route.StartsWith("/v1/threads", StringComparison.Ordinal)
                ? await alice.PostAsJsonAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, Uri.EscapeDataString(id)), new { body = "x" }, Ct)
                : await alice.PutAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, route, Uri.EscapeDataString(id)), null, Ct);
            await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
        }
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonDocument.Parse(text).RootElement;
    }

    /// <summary>One node for the class; each test uses ids of its own.</summary>
    public sealed class Node : IAsyncLifetime
    {
        private TestApp _app = null!;

        public TestTenant Tenant { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            _app = await TestApp.StartAsync(settings: new Dictionary<string, string?> { ["Stoa:RateLimits:Enabled"] = "false" });
            Tenant = await _app.CreateTenantAsync();
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
