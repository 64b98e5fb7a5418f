using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Follows;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Errors;
using Stoa.Testing;

namespace Stoa.Follows.Tests;

public sealed class FollowsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonDocument.Parse(text).RootElement;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Follow_and_unfollow_are_idempotent_and_counts_follow(string store)
    {
        await using var app = new StoaAppFactory<Program>(await TestStores.CreateAsync(store));
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        using var bob = tenant.User("bob");

        var first = await Json(await alice.PutAsync("/v1/users/bob/followers/me", null, Ct));
        first.GetProperty("followers").GetInt64().ShouldBe(1);
        first.GetProperty("followedByMe").GetBoolean().ShouldBeTrue();
        (await Json(await alice.PutAsync("/v1/users/bob/followers/me", null, Ct))).GetProperty("followers").GetInt64().ShouldBe(1);

        var bobView = await Json(await bob.GetAsync("/v1/users/alice", Ct));
        bobView.GetProperty("following").GetInt64().ShouldBe(1);
        bobView.GetProperty("followers").GetInt64().ShouldBe(0);
        bobView.GetProperty("followedByMe").GetBoolean().ShouldBeFalse();

        (await Json(await alice.DeleteAsync("/v1/users/bob/followers/me", Ct))).GetProperty("followers").GetInt64().ShouldBe(0);
        (await Json(await alice.DeleteAsync("/v1/users/bob/followers/me", Ct))).GetProperty("followers").GetInt64().ShouldBe(0);
        (await Json(await alice.DeleteAsync("/v1/users/nobody/followers/me", Ct))).GetProperty("followers").GetInt64().ShouldBe(0);
        (await Json(await bob.GetAsync("/v1/users/alice", Ct))).GetProperty("following").GetInt64().ShouldBe(0);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Lists_are_newest_first_and_cursor_paged_without_gaps_or_repeats(string store)
    {
        await using var app = new StoaAppFactory<Program>(await TestStores.CreateAsync(store));
        var tenant = await app.CreateTenantAsync();
        var followers = Enumerable.Range(0, 23).Select(i => $"user{i:D2}").ToList();
        foreach (var follower in followers)
        {
            using var client = tenant.User(follower);
            (await client.PutAsync("/v1/users/star/followers/me", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            using var back = tenant.User(follower);
            await Task.Delay(2, Ct);
        }

        using var reader = tenant.App();
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Json(await reader.GetAsync($"/v1/users/star/followers?limit=5{(cursor is null ? "" : "&cursor=" + cursor)}", Ct));
            var items = page.GetProperty("items").EnumerateArray().ToList();
            items.Count.ShouldBeLessThanOrEqualTo(5);
            seen.AddRange(items.Select(i => i.GetProperty("userId").GetString()!));
            cursor = page.TryGetProperty("nextCursor", out var next) ? next.GetString() : null;
        }
        while (cursor is not null);

        seen.ShouldBe(Enumerable.Reverse(followers));
        var following = await Json(await reader.GetAsync("/v1/users/user03/following", Ct));
        following.GetProperty("items").EnumerateArray().Single().GetProperty("userId").GetString().ShouldBe("star");
    }

    [Fact]
    public async Task Bad_requests_get_their_codes()
    {
        await using var app = new StoaAppFactory<Program>(TestStores.CreateSqlite());
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        await (await alice.PutAsync("/v1/users/alice/followers/me", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "cannot_follow_self");
        await (await alice.GetAsync("/v1/users/bob/followers?cursor=!!notacursor", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_cursor");
        await (await alice.GetAsync("/v1/users/bob/followers?limit=0", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
        await (await alice.GetAsync("/v1/users/bob/followers?limit=101", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
        await (await alice.GetAsync($"/v1/users/{new string('x', 300)}", Ct)).ShouldBeProblemAsync(HttpStatusCode.BadRequest, FoundationErrors.ValidationFailed);
        using var anonymous = tenant.App();
        await (await anonymous.PutAsync("/v1/users/bob/followers/me", null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Unauthorized, "missing_token");
    }

    [Fact]
    public async Task Another_app_sees_none_of_these_follows()
    {
        await using var app = new StoaAppFactory<Program>(TestStores.CreateSqlite());
        var a = await app.CreateTenantAsync("A");
        var b = await app.CreateTenantAsync("B");
        using var aliceA = a.User("alice");
        using var aliceB = b.User("alice");
        (await aliceA.PutAsync("/v1/users/bob/followers/me", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await Json(await aliceB.GetAsync("/v1/users/bob", Ct))).GetProperty("followers").GetInt64().ShouldBe(0);
        (await Json(await aliceB.GetAsync("/v1/users/bob/followers", Ct))).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await Json(await aliceB.DeleteAsync("/v1/users/bob/followers/me", Ct))).GetProperty("followers").GetInt64().ShouldBe(0);
        (await Json(await aliceA.GetAsync("/v1/users/bob", Ct))).GetProperty("followers").GetInt64().ShouldBe(1);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Counts_stay_exact_under_500_concurrent_follows_and_unfollows(string store)
    {
        await using var app = new StoaAppFactory<Program>(await TestStores.CreateAsync(store),
            new Dictionary<string, string?> { ["Stoa:RateLimits:Enabled"] = "false" });
        var tenant = await app.CreateTenantAsync();
        var random = new Random(500);
        var users = Enumerable.Range(0, 40).Select(i => $"fan{i}").ToList();
        var clients = users.ToDictionary(u => u, tenant.User);
        var calls = Enumerable.Range(0, 500).Select(_ => (User: users[random.Next(users.Count)], Follow: random.Next(3) > 0)).ToList();

        var responses = await Task.WhenAll(calls.Select(c => Task.Run(() => c.Follow
            ? clients[c.User].PutAsync("/v1/users/idol/followers/me", null, Ct)
            : clients[c.User].DeleteAsync("/v1/users/idol/followers/me", Ct), Ct)));
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);

        var truth = await app.Services.GetRequiredService<Core.IFollowStore>().CountAsync(
            await AppIdAsync(app, tenant), "idol", Core.FollowDirection.Followers, Ct);
        using var reader = tenant.App();
        var counts = await Json(await reader.GetAsync("/v1/users/idol", Ct));
        counts.GetProperty("followers").GetInt64().ShouldBe(truth);
        var listed = await Json(await reader.GetAsync("/v1/users/idol/followers?limit=100", Ct));
        listed.GetProperty("items").GetArrayLength().ShouldBe((int)truth);
        foreach (var user in users)
        {
            var following = await Json(await reader.GetAsync($"/v1/users/{user}", Ct));
            following.GetProperty("following").GetInt64().ShouldBe(listed.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("userId").GetString() == user) ? 1 : 0);
        }
    }

    [Fact]
    public async Task Lists_lost_from_the_engine_are_rebuilt_from_the_store()
    {
        await using var app = new StoaAppFactory<Program>(TestStores.CreateSqlite());
        var tenant = await app.CreateTenantAsync();
        foreach (var fan in new[] { "a", "b", "c" })
        {
            using var client = tenant.User(fan);
            (await client.PutAsync("/v1/users/idol/followers/me", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using (var client = tenant.User("b"))
        {
            (await client.DeleteAsync("/v1/users/idol/followers/me", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        // Lose everything the engine held for this app's follows, as a Redis flush would.
        var engine = app.Services.GetRequiredService<IEngine>();
        var appId = await AppIdAsync(app, tenant);
        foreach (var (user, part) in new[] { ("idol", "followers"), ("idol", "followers-built"), ("idol", "followers-versions") })
        {
            (await engine.DeleteAsync(EngineKeys.Grouped(appId, "follows", user, part), Ct)).ShouldBeTrue($"{user}'s {part} was in the engine");
        }

        using var reader = tenant.App();
        var page = await Json(await reader.GetAsync("/v1/users/idol/followers", Ct));
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("userId").GetString()).ShouldBe(["c", "a"]);
        (await Json(await reader.GetAsync("/v1/users/idol", Ct))).GetProperty("followers").GetInt64().ShouldBe(2);

        (await FollowsModule.RebuildAsync(app.Services, appId, Ct)).ShouldBe(3);
        (await Json(await reader.GetAsync("/v1/users/b", Ct))).GetProperty("following").GetInt64().ShouldBe(0);
    }

    private static async Task<Guid> AppIdAsync(StoaAppFactory<Program> app, TestTenant tenant) =>
        (await app.Services.GetRequiredService<Stoa.Foundation.Auth.AppStore>().FindByApiKeyAsync(tenant.ApiKey, Ct))!.Id;
}
