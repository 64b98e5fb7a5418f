using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Stoa.Foundation.Sql;
using Stoa.Foundation.Telemetry;

namespace Stoa.Foundation.Hosting;

/// <summary>What a module registers the same way as every other: its name, settings, migrations and JSON.</summary>
/// <param name="Name">The module's name (<c>Stoa:Modules</c>, migrations, telemetry).</param>
/// <param name="Migrations">The assembly holding <c>Storage/Migrations/{dialect}/NNNN_name.sql</c>, if the module has tables.</param>
/// <param name="Json">The module's source-generated JSON context, put first in the HTTP API's resolver chain.</param>
public sealed record StoaModuleSpec(string Name, Assembly? Migrations = null, IJsonTypeInfoResolver? Json = null);

/// <summary>
/// One way for every module to register what all of them have, instead of each its own: settings read from their
/// section once at start-up and checked (a bad value stops the process naming the setting), available both as the
/// options type and as <see cref="IOptions{TOptions}"/>; migrations; the JSON context; the module's
/// <see cref="ModuleTelemetry"/> (keyed by its name) through which it makes its metrics and spans.
/// </summary>
public static class StoaModuleRegistration
{
    /// <summary>Registers a module without settings of its own.</summary>
    public static IServiceCollection AddStoaModule(this IServiceCollection services, StoaModuleSpec module)
    {
        services.TryAddSingleton(TimeProvider.System);
        if (module.Migrations is { } assembly)
        {
            services.AddMigrations(new MigrationSet(module.Name, assembly));
        }

        if (module.Json is { } json)
        {
            services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, json));
        }

        services.AddModuleTelemetry(module.Name);
        return services;
    }

    /// <summary>
    /// Registers a module and its settings from <paramref name="section"/>, checked by <paramref name="validate"/> (every
    /// problem, each naming its full key) or read by <paramref name="read"/> when binding needs more than the binder
    /// (lists that replace their defaults). Returns the settings for the rest of the module's registrations.
    /// </summary>
    public static TOptions AddStoaModule<TOptions>(this IServiceCollection services, StoaModuleSpec module, IConfigurationSection section,
        Func<TOptions, IReadOnlyList<string>>? validate = null, Func<IConfigurationSection, TOptions>? read = null)
        where TOptions : class, new()
    {
        var options = read is not null ? read(section) : ModuleOptions.Read(section, validate ?? (_ => []));
        services.AddSingleton(options);
        services.AddSingleton(Options.Create(options));
        services.AddStoaModule(module);
        return options;
    }
}
