using Microsoft.AspNetCore.Http;

namespace Stoa.Foundation.Auth;

/// <summary>
/// Who is calling: always an app (from its API key), and a user (from a user token) or the app's backend (from a
/// token with <c>"server": true</c>). Endpoints take it as a parameter; stores take its <see cref="AppId"/>.
/// </summary>
public sealed record Caller(Guid AppId, string? UserId, bool IsServer)
{
    private static readonly object s_key = new();

    public bool IsUser => UserId is not null && !IsServer;

    public static Caller? Of(HttpContext context) => context.Items.TryGetValue(s_key, out var value) ? value as Caller : null;

    internal static void Set(HttpContext context, Caller caller) => context.Items[s_key] = caller;

    /// <summary>Minimal-API binding: the caller the authentication middleware established.</summary>
    public static ValueTask<Caller?> BindAsync(HttpContext context) => ValueTask.FromResult(Of(context));
}
