using System.Net;
using System.Net.Http.Json;

namespace Stoa.Server.Tests.Auth;

/// <summary>
/// The pattern every module repeats for its own resources: two apps, the same ids, and neither can read, change or
/// delete the other's data.
/// </summary>
public sealed class TenantIsolationTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task App_B_cannot_read_change_or_delete_app_As_data(string store)
    {
        await using var app = await TestApp.StartAsync(store);
        var a = await app.CreateTenantAsync("A");
        var b = await app.CreateTenantAsync("B");
        var ct = TestContext.Current.CancellationToken;
        using var alice = a.User("alice");
        using var mallory = b.User("alice");

        (await alice.PutAsJsonAsync("/v1/probe/notes/n1", new NoteRequest("A's secret"), ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await mallory.GetAsync("/v1/probe/notes/n1", ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await mallory.DeleteAsync("/v1/probe/notes/n1", ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await mallory.PutAsJsonAsync("/v1/probe/notes/n1", new NoteRequest("B's"), ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await alice.GetFromJsonAsync<NoteRequest>("/v1/probe/notes/n1", ct))!.Text.ShouldBe("A's secret");
        (await mallory.GetFromJsonAsync<NoteRequest>("/v1/probe/notes/n1", ct))!.Text.ShouldBe("B's");
    }
}
