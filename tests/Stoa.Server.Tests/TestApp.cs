using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stoa.Server;
using Stoa.Testing;

namespace Stoa.Server.Tests;

/// <summary>The real app over a fresh store, plus test-only endpoints and a log capture.</summary>
public sealed class TestApp : StoaAppFactory<Program>
{
    public TestApp(string store, IReadOnlyDictionary<string, string?>? settings = null)
        : base(store, settings)
    {
        TestServices = services =>
        {
            services.AddSingleton<IEndpointContributor, TestEndpoints>();
            services.AddSingleton<ILoggerProvider>(Logs);
        };
    }

    public LogCapture Logs { get; } = new();

    public static async Task<TestApp> StartAsync(string kind = "sqlite", IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new TestApp(await TestStores.CreateAsync(kind), settings);
        app.StartServer();
        return app;
    }
}
