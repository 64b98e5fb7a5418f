using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;

namespace Stoa.Foundation.Auth;

/// <summary>
/// On the embedded default, the first start creates an app named <c>development</c> and prints its key, secret and
/// a sample user token, so that `dotnet run` is immediately usable. The app is kept in the store: later starts only
/// remind which key it has. It allows pages on any loopback origin (a front end's dev server on another port), and a
/// development app made before origins existed gets those too. The curl line names the address the node actually
/// listens on, so it is printed once the server has started.
/// </summary>
internal sealed class DevAppBootstrapper(AppStore apps, TimeProvider time, IServer server, IHostApplicationLifetime lifetime) : IHostedService
{
    public const string AppName = "development";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var loopback = AppOrigins.Loopback;
        var existing = await apps.FindByNameAsync(AppName, cancellationToken);
        if (existing is not null)
        {
            if (existing.Origins.Entries.Count == 0)
            {
                await apps.SetOriginsAsync(existing.Id, loopback, cancellationToken);
            }

            lifetime.ApplicationStarted.Register(() => Console.WriteLine(
                $"Development app: API key {existing.ApiKey} (secret and tokens: `stoa apps list`, `stoa token --app {existing.ApiKey} --user alice`). "
                + $"Try: curl -H 'X-Api-Key: {existing.ApiKey}' {Address()}/v1/app"));
            return;
        }

        var app = await apps.CreateAsync(AppName, cancellationToken, loopback);
        var token = JwtIssuer.Issue(app.Secret, "alice", server: false, TimeSpan.FromDays(30), time.GetUtcNow());
        lifetime.ApplicationStarted.Register(() => Console.WriteLine($"""

            Created the development app (printed once; it is kept in the store):
              X-Api-Key:           {app.ApiKey}
              secret:              {app.Secret}
              user token (alice):  {token}
              allowed origins:     any page on localhost, 127.0.0.1 or [::1] (stoa apps origins list {app.ApiKey})
            Try: curl -H 'X-Api-Key: {app.ApiKey}' -H 'Authorization: Bearer {token}' {Address()}/v1/app
            Minting your own tokens: docs/auth.md

            """));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The first address the server listens on, as a client would type it (a wildcard host is this machine).</summary>
    private string Address()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://localhost:8080";
        return address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal)
            .TrimEnd('/');
    }
}
