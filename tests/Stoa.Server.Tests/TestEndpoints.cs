using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.HttpResults;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Engine;
using Stoa.Foundation.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Stoa.Foundation.Errors;

namespace Stoa.Server.Tests;

public sealed record EchoRequest(string? Name, int Count);

public sealed record NoteRequest(string Text);

/// <summary>Endpoints that exist only in the tests, to drive each error path of the real pipeline.</summary>
internal sealed class TestEndpoints : Stoa.Server.IEndpointContributor
{
    public void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/test");
        group.MapPost("/echo", (EchoRequest request) =>
        {
            new Validation()
                .Length(request.Name, "name", 1, 20)
                .Range(request.Count, "count", 1, 10)
                .ThrowIfInvalid();
            return TypedResults.Ok(request);
        });
        group.MapGet("/boom", string () => throw new InvalidOperationException("secret internal detail 42"));
        group.MapGet("/conflict", string () => throw ApiException.Conflict("widget_exists", "That widget exists already."));
        group.MapGet("/slow", async (int ms, CancellationToken ct) =>
        {
            await Task.Delay(ms, CancellationToken.None);
            return TypedResults.Ok("done");
        });
        group.MapGet("/items/{id:int}", (int id) => TypedResults.Ok(id));

        // Probes for authentication, rate limits and tenant isolation.
        var probe = endpoints.MapGroup("/v1/probe");
        probe.MapGet("/default", (Caller caller) => TypedResults.Ok(caller));
        probe.MapGet("/app", (Caller caller) => TypedResults.Ok(caller)).RequireApp();
        probe.MapGet("/user", (Caller caller) => TypedResults.Ok(caller)).RequireUser();
        probe.MapGet("/server", (Caller caller) => TypedResults.Ok(caller)).RequireServer();
        probe.MapGet("/open", () => TypedResults.Ok("open")).AllowAnonymous();
        probe.MapGet("/stream", (Caller caller) => TypedResults.Ok(caller)).AllowQueryCredentials(AuthLevel.User);
        probe.MapGet("/limited", (Caller caller) => TypedResults.Ok(caller)).RequireApp().RateLimit("tight");
        probe.MapPost("/echo", (EchoRequest request) => TypedResults.Ok(request)).RequireUser();
        probe.MapPost("/search", (EchoRequest request) => TypedResults.Ok(request)).RequireUser().ReadOnly();

        // Answers that break their own OpenAPI description, for the contract check's own test.
        probe.MapGet("/teapot", () => Results.StatusCode(StatusCodes.Status418ImATeapot)).Produces(StatusCodes.Status200OK);
        probe.MapGet("/mislabelled", () => Results.Json(new { nope = 1 })).Produces<NoteRequest>();
        probe.MapPut("/notes/{id}", async (string id, NoteRequest note, Caller caller, IKeyValueStore kv, CancellationToken ct) =>
        {
            await kv.SetAsync(EngineKeys.For(caller.AppId, "probe", "note", id), System.Text.Encoding.UTF8.GetBytes(note.Text), null, ct);
            return TypedResults.NoContent();
        }).RequireUser();
        probe.MapGet("/notes/{id}", async Task<Results<Ok<NoteRequest>, NotFound>> (string id, Caller caller, IKeyValueStore kv, CancellationToken ct) =>
        {
            var value = await kv.GetAsync(EngineKeys.For(caller.AppId, "probe", "note", id), ct);
            return value is null ? TypedResults.NotFound() : TypedResults.Ok(new NoteRequest(System.Text.Encoding.UTF8.GetString(value)));
        }).RequireUser();
        probe.MapDelete("/notes/{id}", async Task<Results<NoContent, NotFound>> (string id, Caller caller, IKeyValueStore kv, CancellationToken ct) =>
            await kv.DeleteAsync(EngineKeys.For(caller.AppId, "probe", "note", id), ct) ? TypedResults.NoContent() : TypedResults.NotFound()).RequireUser();
    }
}
