using Microsoft.Playwright;
using Stoa.Testing;

[assembly: AssemblyFixture(typeof(Stoa.E2E.StoaSite))]

// The browser's requests do not pass the factory's checking handler: a response that breaks the OpenAPI document
// fails the test during which the page received it (instead of printing when the site is disposed).
[assembly: Stoa.Testing.Contract.FailOnContractViolations]

// One app and one browser for the whole run: starting Chromium costs seconds on a loaded machine. The tests use
// separate browser contexts (separate cookies and storage: separate people), one after another, so that timings
// stay predictable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Stoa.E2E;

/// <summary>
/// The system under test as a person meets it: the real server on Kestrel in dev mode over a fresh SQLite store (the
/// embedded default), a loopback fixture site for link previews, and Debian's headless Chromium driven by Playwright.
/// </summary>
public sealed class StoaSite : IAsyncLifetime
{
    /// <summary>Debian's Chromium. Playwright's own browser download does not work here, and is not needed.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Previews one user may ask for in a burst in this run.</summary>
    public const int PreviewsBurst = 5;

    private static readonly string[] s_chromiumArgs =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
    ];

    private StoaAppFactory<Program>? _app;
    private IPlaywright? _playwright;

    public FixtureSite Fixture { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        // A missing browser is a failure with the install command, never a skip (as for redis-server and PostgreSQL).
        var chromium = ExternalTools.Find("chromium", "chromium", Path.GetDirectoryName(ChromiumPath)!);
        Fixture = await FixtureSite.StartAsync();
        _app = new StoaAppFactory<Program>(TestStores.CreateSqlite(), new Dictionary<string, string?>
        {
            ["Stoa:DevMode"] = "true",
            ["Stoa:Previews:AllowedNetworks:0"] = "127.0.0.1/32",
            ["Stoa:Previews:AllowedPorts:0"] = Fixture.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Two people typing and clicking from one IP must not trip the per-IP limits meant for the internet.
            ["Stoa:RateLimits:Policies:default:Capacity"] = "1000",
            // Small enough for one test to run out (buckets are per user, so the other tests never get near it).
            ["Stoa:RateLimits:Policies:previews:Capacity"] = PreviewsBurst.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Stoa:RateLimits:Policies:previews:TokensPerSecond"] = "0.01",
        });
        BaseAddress = _app.BaseAddress;
        Directory.CreateDirectory(ScreenshotDirectory);

        // The driver (node + Playwright's JS package) ships inside the NuGet package and runs offline.
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = s_chromiumArgs,
        });
        // The machine is shared and loaded: give assertions room without making a broken page pass.
        Assertions.SetDefaultExpectTimeout(20_000);
    }

    /// <summary>Creates an app (tenant) in the store of the app under test, as `stoa apps create` would.</summary>
    public Task<TestTenant> CreateTenantAsync(string name) => _app!.CreateTenantAsync(name);

    /// <summary>A new person: their own browser context (storage, cookies) with one page at the given size.</summary>
    public async Task<IPage> NewPersonAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = 1,
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (Fixture is not null)
        {
            await Fixture.DisposeAsync();
        }
    }
}
