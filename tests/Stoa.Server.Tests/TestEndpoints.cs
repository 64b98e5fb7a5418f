using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Stoa.Foundation.Errors;

namespace Stoa.Server.Tests;

public sealed record EchoRequest(string? Name, int Count);

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
    }
}
