using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>The real server over a fresh store, with the docs limits small enough to reach in a test.</summary>
public sealed class DocsApp : StoaAppFactory<Program>
{
    public DocsApp(string store, IReadOnlyDictionary<string, string?>? settings = null)
        : base(store, Merge(settings))
    {
        TestServices = services => services.AddSingleton<ILoggerProvider>(Logs);
    }

    public LogCapture Logs { get; } = new();

    public static async Task<DocsApp> StartAsync(string kind = "sqlite", IReadOnlyDictionary<string, string?>? settings = null)
    {
        var app = new DocsApp(await TestStores.CreateAsync(kind), settings);
        app.StartServer();
        return app;
    }

    private static Dictionary<string, string?> Merge(IReadOnlyDictionary<string, string?>? settings) =>
        TestSettings.Merge(new Dictionary<string, string?>
        {
            ["Stoa:Docs:OpsPerSecond"] = "100000",
            ["Stoa:Docs:OpsBurst"] = "100000",
            ["Stoa:Docs:SnapshotEvery"] = "10",
            ["Stoa:RateLimits:Enabled"] = "false",
        }, settings);
}

/// <summary>Small helpers over the REST API.</summary>
public static class DocsHttp
{
    public static async Task<(Guid Id, long Version, string Text)> CreateDocAsync(this HttpClient client, string text = "")
    {
        var response = await client.PostAsJsonAsync("/v1/docs", new { text }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return (body.GetProperty("id").GetGuid(), body.GetProperty("version").GetInt64(), body.GetProperty("text").GetString()!);
    }

    public static async Task<(long Version, string Text)> GetDocAsync(this HttpClient client, Guid id)
    {
        var body = await client.GetFromJsonAsync<JsonElement>($"/v1/docs/{id}", TestContext.Current.CancellationToken);
        return (body.GetProperty("version").GetInt64(), body.GetProperty("text").GetString()!);
    }

    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, Guid id, long baseVersion, string opJson, string clientId, long seq) =>
        client.PostJsonTextAsync($"/v1/docs/{id}/ops",
            $$"""{"baseVersion":{{baseVersion}},"op":{{opJson}},"clientId":"{{clientId}}","seq":{{seq}}}""");

    public static async Task<long> SubmitOkAsync(this HttpClient client, Guid id, long baseVersion, string opJson, string clientId, long seq)
    {
        var response = await client.SubmitAsync(id, baseVersion, opJson, clientId, seq);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue(text);
        return JsonDocument.Parse(text).RootElement.GetProperty("version").GetInt64();
    }
}
