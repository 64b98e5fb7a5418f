using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Hosting;
using Stoa.Quotes.Core;
using Stoa.Quotes.Feeds;
using Stoa.Testing;

namespace Stoa.Quotes.Tests;

/// <summary>
/// One Stoa node running the real app in-process. Quotes tests turn the feed off unless they test it, so that prices
/// only change when the test changes them.
/// </summary>
public sealed class QuotesNode : StoaAppFactory<Program>
{
    public QuotesNode(string store, IReadOnlyDictionary<string, string?>? settings = null)
        : base(store, WithDefaults(settings))
    {
        // The node's leases go through a connection a test can cut, as a crash would.
        TestServices = services => services
            .AddSingleton(sp => new SeverableLeases(sp.GetRequiredService<IEngine>()))
            .AddSingleton<ILeases>(sp => sp.GetRequiredService<SeverableLeases>());
    }

    internal IQuoteStore Store => Services.GetRequiredService<IQuoteStore>();

    internal INearCache NearCache => Services.GetRequiredService<IEngine>().NearCache;

    internal FeedLeader? Feed => Services.GetService<FeedLeader>();

    internal SeverableLeases Leases => Services.GetRequiredService<SeverableLeases>();

    internal DrainState Drain => Services.GetRequiredService<DrainState>();

    public static async Task<QuotesNode> StartAsync(IReadOnlyDictionary<string, string?>? settings = null, string? store = null)
    {
        var node = new QuotesNode(store ?? TestStores.CreateSqlite(), settings);
        node.StartServer();
        await Task.CompletedTask;
        return node;
    }

    /// <summary>A node as deployed: PostgreSQL for the archive, <paramref name="redis"/> for the engine.</summary>
    public static async Task<QuotesNode> StartDeployedAsync(RedisServer redis) =>
        await StartAsync(new Dictionary<string, string?> { ["Stoa:Redis"] = redis.Url }, await TestStores.CreateAsync("postgres"));

    private static Dictionary<string, string?> WithDefaults(IReadOnlyDictionary<string, string?>? settings) =>
        TestSettings.Merge(new Dictionary<string, string?>
        {
            ["Stoa:Quotes:Feed"] = "none",
            // Tests hammer single endpoints far beyond a real client's rate.
            ["Stoa:RateLimits:Enabled"] = "false",
        }, settings);
}
