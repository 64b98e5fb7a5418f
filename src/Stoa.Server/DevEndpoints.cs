using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Hosting;
using Stoa.Foundation.RateLimiting;

namespace Stoa.Server;

/// <summary>
/// Development-only identity for the web page: <c>GET /dev/session</c> hands out the development app's API key and
/// <c>POST /dev/token</c> signs a user token for any name, as an app's own backend would after a login. Both exist
/// only when <see cref="StoaOptions.IsDevMode"/> is on (the embedded default): anyone reaching them can act as any user
/// of the development app, which is the point on a laptop and a hole anywhere else.
/// </summary>
internal static class DevEndpoints
{
    public const string DevAppNotFound = "dev_app_not_found";

    /// <summary>The name Stoa.Foundation's development-app bootstrapper gives the app it creates (internal there).</summary>
    public const string DevAppName = "development";
    public const int MaxUserIdLength = 64;
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(12);

    public static void MapDevEndpoints(this IEndpointRouteBuilder endpoints, StoaOptions options)
    {
        if (!options.IsDevMode)
        {
            return;
        }

        var dev = endpoints.MapGroup("/dev").WithTags("dev").AllowAnonymous().ExcludeFromDescription();
        dev.MapGet("/session", GetSessionAsync).RateLimit("default");
        // Signing is cheap, but a tight bucket keeps the endpoint from being a free token mint for a script.
        dev.MapPost("/token", IssueTokenAsync).RateLimit("writes");
    }

    private static async Task<JsonHttpResult<DevSession>> GetSessionAsync(AppStore apps, CancellationToken cancellationToken)
    {
        var app = await FindDevelopmentAppAsync(apps, cancellationToken);
        return TypedResults.Json(new DevSession(app.ApiKey), DevJsonContext.Default.DevSession);
    }

    private static async Task<JsonHttpResult<DevToken>> IssueTokenAsync(DevTokenRequest request, AppStore apps, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var userId = request.UserId?.Trim();
        var validation = new Validation().Length(userId, "userId", 1, MaxUserIdLength);
        if (userId is not null && userId.Any(char.IsControl))
        {
            validation.Add("userId", "must not contain control characters");
        }

        validation.ThrowIfInvalid();
        var app = await FindDevelopmentAppAsync(apps, cancellationToken);
        var now = time.GetUtcNow();
        var token = JwtIssuer.Issue(app.Secret, userId!, server: false, TokenLifetime, now);
        return TypedResults.Json(new DevToken(token, userId!, now.Add(TokenLifetime)), DevJsonContext.Default.DevToken);
    }

    private static async Task<App> FindDevelopmentAppAsync(AppStore apps, CancellationToken cancellationToken) =>
        await apps.FindByNameAsync(DevAppName, cancellationToken)
            ?? throw ApiException.NotFound(DevAppNotFound, $"No app named '{DevAppName}' exists; it is created at start-up in dev mode.");
}

public sealed record DevSession(string ApiKey);

public sealed record DevTokenRequest(string? UserId);

public sealed record DevToken(string Token, string UserId, DateTimeOffset ExpiresAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DevSession))]
[JsonSerializable(typeof(DevTokenRequest))]
[JsonSerializable(typeof(DevToken))]
internal sealed partial class DevJsonContext : JsonSerializerContext;
