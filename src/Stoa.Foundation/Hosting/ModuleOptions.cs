using Microsoft.Extensions.Configuration;

namespace Stoa.Foundation.Hosting;

/// <summary>
/// Reads a module's settings section once at start-up and checks it, so a value that is not a number or out of range
/// stops the process naming the setting (exit code 2) instead of failing the first request that reads it.
/// </summary>
public static class ModuleOptions
{
    /// <param name="validate">Every problem with the bound settings, each naming its full key.</param>
    public static T Read<T>(IConfigurationSection section, Func<T, IReadOnlyList<string>> validate)
        where T : new()
    {
        var options = new T();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // "soon" for a number: the binder's message names the setting's full path.
            throw new InvalidConfigurationException([ex.Message]);
        }

        var errors = validate(options);
        return errors.Count > 0 ? throw new InvalidConfigurationException(errors) : options;
    }
}
