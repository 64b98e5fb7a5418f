using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Testing.Contract;

namespace Stoa.Testing;

/// <summary>
/// Runs the real app in-process on real Kestrel (a loopback port), over the store named by <c>Stoa:Store</c>.
/// Generic over the entry point so that the harness does not depend on the server project.
/// </summary>
public class StoaAppFactory<TEntryPoint> : WebApplicationFactory<TEntryPoint>
    where TEntryPoint : class
{
    public StoaAppFactory(string store, IReadOnlyDictionary<string, string?>? settings = null)
    {
        Settings["Stoa:Store"] = store;
        Settings["Stoa:Urls"] = "http://127.0.0.1:0";
        // Tests create their own apps; the development app is tested on its own.
        Settings["Stoa:DevMode"] = "false";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            Settings[key] = value;
        }

        // Port 0 comes from Stoa:Urls above, which the app binds itself: UseKestrel(port) would rewrite the
        // server's addresses after the app started binding them, a race in WebApplicationFactory (aspnetcore#67714).
        UseKestrel();
        ContractViolations.Track();
    }

    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The responses that broke the app's OpenAPI document so far (<see cref="ContractCheckMiddleware"/>); disposing the
    /// factory fails with them. Cleared by tests that make the server break it on purpose.
    /// </summary>
    public ContractViolations ContractViolations { get; } = new();

    /// <summary>Extra registrations applied after the app's own (test endpoints, log capture…).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Creates an app (tenant) in the app's store, as `stoa apps create` would.</summary>
    public async Task<TestTenant> CreateTenantAsync(string name = "test app")
    {
        var app = await Services.GetRequiredService<Stoa.Foundation.Auth.AppStore>().CreateAsync(name, CancellationToken.None);
        return new TestTenant(app.ApiKey, app.Secret, CreateClient);
    }

    /// <summary>The Kestrel address the app listens on (starts the server if needed).</summary>
    public Uri BaseAddress
    {
        get
        {
            StartServer();
            var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
            return new Uri(addresses.First());
        }
    }

    /// <summary>
    /// A client that behaves as one in another process would for tracing: the traceparent a test puts on a request is
    /// what the server gets. HttpClient's own propagation is off, since the app's tracer provider (listeners are
    /// process-wide) would otherwise make this client start a span of its own and send that in its place.
    /// </summary>
    public HttpClient CreateExternalClient() =>
        new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = BaseAddress };

    /// <summary>
    /// A client of the app, as <see cref="WebApplicationFactory{TEntryPoint}.CreateClient()"/> makes one (redirects and
    /// cookies followed), whose calls fail at once with a response that breaks the OpenAPI document.
    /// </summary>
    public new HttpClient CreateClient() =>
        CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.RedirectHandler(ClientOptions.MaxAutomaticRedirections),
            new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(), new ContractCheckHandler(ContractViolations));

    /// <summary>A client the factory does not own: it survives the factory's disposal (shutdown tests).</summary>
    public HttpClient CreateIndependentClient() => new() { BaseAddress = BaseAddress };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureServices(services =>
        {
            services.AddSingleton(ContractViolations);
            services.AddSingleton<IStartupFilter, ContractCheckStartupFilter>();
        });
        if (TestServices is { } configure)
        {
            builder.ConfigureServices(configure);
        }
    }

    /// <summary>Stops the app, then fails the test that owns it if any response broke the OpenAPI document.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        ContractViolations.Untrack();
        if (ContractViolations.All.Count > 0)
        {
            throw new ContractViolationException(ContractViolations.ToString());
        }
    }
}
