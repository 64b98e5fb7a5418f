using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Stoa.Foundation.Errors;
using Stoa.Foundation.OpenApi;
using Stoa.Foundation.RateLimiting;

namespace Stoa.Foundation.Auth;

/// <summary>
/// <c>/v1/app</c>: the calling app as its key shows it (a quick check that a key works), and
/// <c>PUT /v1/app/origins</c>: the app's backend sets which web origins may use the key (docs/auth.md). A change is
/// seen at once on the node that made it and within <see cref="AppDirectory.Freshness"/> on the others.
/// </summary>
public static class AppEndpoints
{
    public static IEndpointRouteBuilder MapAppEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var app = endpoints.MapGroup("/v1/app").WithTags("apps");
        app.MapGet("/", GetAsync).RequireApp().RateLimit("default")
            .WithName("apps_getApp").WithSummary("The calling app: its name and allowed web origins (a quick check that a key works)")
            .ProducesErrors(404, AuthErrors.AppNotFound);
        app.MapPut("/origins", SetOriginsAsync).RequireServer().RateLimit("writes")
            .WithName("apps_setOrigins").WithSummary("Set which web origins may use the app's key (server token)")
            .ProducesErrors(404, AuthErrors.AppNotFound);
        return endpoints;
    }

    private static async Task<Ok<AppResponse>> GetAsync(Caller caller, AppStore apps, CancellationToken cancellationToken) =>
        TypedResults.Ok(AppResponse.Of(await FindAsync(caller, apps, cancellationToken)));

    private static async Task<Ok<AppResponse>> SetOriginsAsync(SetOriginsRequest request, Caller caller, AppStore apps, AppDirectory directory,
        CancellationToken cancellationToken)
    {
        if (request.Origins is null)
        {
            throw Validation.Failed("origins", "is required: a list of origins, [] for none");
        }

        if (!AppOrigins.TryCreate(request.Origins, out var origins, out var problems))
        {
            var validation = new Validation();
            foreach (var problem in problems)
            {
                validation.Add("origins", problem);
            }

            validation.ThrowIfInvalid();
        }

        var app = await apps.SetOriginsAsync(caller.AppId, origins!, cancellationToken)
            ?? throw ApiException.NotFound(AuthErrors.AppNotFound, "The app was deleted.");
        directory.Forget(app.ApiKey);
        return TypedResults.Ok(AppResponse.Of(app));
    }

    private static async Task<App> FindAsync(Caller caller, AppStore apps, CancellationToken cancellationToken) =>
        await apps.FindByIdAsync(caller.AppId, cancellationToken) ?? throw ApiException.NotFound(AuthErrors.AppNotFound, "The app was deleted.");
}

/// <summary>An app as its own key and backend see it: never its secret.</summary>
public sealed record AppResponse(string Name, IReadOnlyList<string> AllowedOrigins)
{
    public static AppResponse Of(App app) => new(app.Name, app.Origins.Entries);
}

/// <summary>The whole list of allowed origins (it replaces the previous one).</summary>
public sealed record SetOriginsRequest(
    [property: System.ComponentModel.DataAnnotations.Required, System.ComponentModel.DataAnnotations.MaxLength(AppOrigins.MaxEntries),
        ItemPattern(AppOrigins.Pattern),
        System.ComponentModel.Description("Origins such as https://app.example.com, http://localhost:* or *; [] for none.")]
    IReadOnlyList<string?>? Origins);
