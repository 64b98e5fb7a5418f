using Microsoft.Extensions.Hosting;

namespace Stoa.Foundation.Auth;

/// <summary>
/// On the embedded default, the first start creates an app named <c>development</c> and prints its key, secret and
/// a sample user token, so that `dotnet run` is immediately usable. The app is kept in the store: later starts only
/// remind which key it has.
/// </summary>
internal sealed class DevAppBootstrapper(AppStore apps, TimeProvider time) : IHostedService
{
    public const string AppName = "development";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var existing = await apps.FindByNameAsync(AppName, cancellationToken);
        if (existing is not null)
        {
            Console.WriteLine($"Development app: API key {existing.ApiKey} (secret and tokens: `stoa apps list`, `stoa token --app {existing.ApiKey} --user alice`).");
            return;
        }

        var app = await apps.CreateAsync(AppName, cancellationToken);
        var token = JwtIssuer.Issue(app.Secret, "alice", server: false, TimeSpan.FromDays(30), time.GetUtcNow());
        Console.WriteLine($"""

            Created the development app (printed once; it is kept in the store):
              X-Api-Key:           {app.ApiKey}
              secret:              {app.Secret}
              user token (alice):  {token}
            Try: curl -H 'X-Api-Key: {app.ApiKey}' -H 'Authorization: Bearer {token}' http://localhost:8080/...

            """);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
