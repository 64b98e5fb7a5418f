using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Grpc;
using Stoa.Foundation.Health;
using Stoa.Foundation.Json;
using Stoa.Foundation.OpenApi;
using Stoa.Foundation.RateLimiting;
using Stoa.Foundation.Sql;

namespace Stoa.Foundation.Hosting;

/// <summary>
/// What every Stoa process gets, whatever modules it runs (eShop's AddServiceDefaults): validated settings, JSON logs
/// with trace ids, problem+json errors, the store and its migrations, health endpoints, graceful shutdown.
/// </summary>
public static class StoaServiceDefaults
{
    /// <summary>
    /// Stops start-up (<see cref="InvalidConfigurationException"/>) on any key under <c>Stoa:</c> that is not a setting,
    /// naming the nearest valid one, and on a duration not written hh:mm:ss.
    /// </summary>
    public static void CheckSettings(this IConfiguration configuration, SettingsSchema schema)
    {
        var problems = schema.Problems(configuration);
        if (problems.Count > 0)
        {
            throw new InvalidConfigurationException(problems);
        }
    }

    /// <summary>Reads and validates the <c>Stoa</c> section; throws <see cref="InvalidConfigurationException"/> naming each bad setting.</summary>
    public static StoaOptions ReadStoaOptions(this IConfiguration configuration, IReadOnlyCollection<string> knownModules)
    {
        var options = new StoaOptions();
        try
        {
            configuration.GetSection(StoaOptions.Section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key in its message ("Failed to convert configuration value at 'Stoa:X'...").
            throw new InvalidConfigurationException([ex.Message]);
        }

        var errors = StoaOptionsValidator.Validate(options, knownModules);
        return errors.Count > 0 ? throw new InvalidConfigurationException(errors) : options;
    }

    public static StoaOptions AddStoaFoundation(this WebApplicationBuilder builder, IReadOnlyCollection<string> knownModules)
    {
        var options = builder.Configuration.ReadStoaOptions(knownModules);
        var services = builder.Services;
        services.Configure<StoaOptions>(builder.Configuration.GetSection(StoaOptions.Section));

        builder.Logging.ClearProviders();
        if (options.LogsJson)
        {
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
        }
        else
        {
            // A person reads this: one line per entry, local time, no scopes (the request line carries the traceId).
            builder.Logging.AddSimpleConsole(simple =>
            {
                simple.SingleLine = true;
                simple.TimestampFormat = "HH:mm:ss ";
            });
        }

        var startupLog = new StartupLogGate();
        services.AddSingleton(startupLog);
        startupLog.AddTo(builder.Logging);
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        builder.AddStoaGrpc(options);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            kestrel.ConfigureEndpointDefaults(listen => listen.UseKestrelRejectionBodies(
                listen.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Stoa.Foundation.Errors.KestrelRejection")));
        });
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));

        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ProblemResponses.Customize);
        // Binding failures throw, so that the error middleware can tell bad JSON from a wrong content type.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.MaxDepth = 32;
            // Numbers are JSON numbers, as the OpenAPI document says: the Web defaults would also take "5" for 5.
            json.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            json.SerializerOptions.Converters.Add(new TextConverter());
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, FoundationJsonContext.Default);
        });
        services.AddStoaOpenApi();
        services.AddApiTag("apps", "The calling app: check a key, set the web origins that may use it (docs/auth.md).");
        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            // Loopback proxies (haproxy on the node) are trusted by default, and the networks of Stoa:TrustedProxies;
            // the default ForwardLimit of 1 takes only the entry the nearest proxy appended. See docs/operations.md.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var network in options.TrustedProxyList)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        services.AddStoaStore(StoreSettings.Parse(options.StoreUrl));
        if (options.MigrateOnStart)
        {
            services.AddHostedService<MigrationHostedService>();
        }

        if (options.IsDevMode)
        {
            services.AddHostedService<DevAppBootstrapper>();
        }

        services.AddStoaEngine(options);
        services.AddStoaAuth();
        services.AddStoaRateLimiting(builder.Configuration);
        services.AddSingleton<DrainState>();
        services.AddHostedService<ShutdownCoordinator>();
        services.AddSingleton<IReadinessCheck, StoreReadinessCheck>();
        Telemetry.TelemetryServiceCollectionExtensions.AddStoaTelemetry(services, builder.Configuration);
        return options;
    }

    /// <summary>The store, the migrator and the platform's own migrations; also used by the CLI commands.</summary>
    public static IServiceCollection AddStoaStore(this IServiceCollection services, StoreSettings settings)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new StoaDatabase(settings));
        services.TryAddSingleton<Migrator>();
        // The platform's own tables (apps) come before every module's.
        if (!services.Any(d => d.ServiceType == typeof(MigrationSet) && d.ImplementationInstance is MigrationSet { Module: "platform" }))
        {
            services.AddMigrations(new MigrationSet("platform", typeof(StoaServiceDefaults).Assembly));
        }

        services.TryAddSingleton<AppStore>();
        return services;
    }

    /// <summary>Registers a module's migrations; they run in registration order.</summary>
    public static IServiceCollection AddMigrations(this IServiceCollection services, MigrationSet set)
    {
        services.AddSingleton(set);
        return services;
    }

    public static WebApplication UseStoaFoundation(this WebApplication app)
    {
        app.UseForwardedHeaders();
        // Outside the error handling, so that it logs the status the client got.
        app.UseMiddleware<Telemetry.RequestLogMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseHsts();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        // Responses that carry only a status (routing 404, 405…) get the same problem+json body as every other error.
        app.UseStatusCodePages(context =>
        {
            var status = context.HttpContext.Response.StatusCode;
            return ProblemResponses.WriteAsync(context.HttpContext, status, FoundationErrors.ForStatus(status),
                Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status));
        });
        // Preflights are answered here, before authentication (they carry no API key); see CrossOriginPolicy.
        app.UseCors();
        app.UseMiddleware<DrainingMiddleware>();
        // Docs and quotes stream over WebSockets; the keep-alive pings notice dead peers behind idle proxies.
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        app.UseRouting();
        app.UseMiddleware<RawPathRouteValuesMiddleware>();
        app.UseMiddleware<AuthenticationMiddleware>();
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseMiddleware<Grpc.GrpcMessageCheckMiddleware>();
        app.MapHealthEndpoints();
        app.MapAppEndpoints();
        Telemetry.MetricsEndpoint.MapMetrics(app);
        app.MapOpenApi();
        app.MapStoaGrpc();
        return app;
    }
}
