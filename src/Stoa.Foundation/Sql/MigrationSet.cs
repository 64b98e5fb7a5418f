using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Stoa.Foundation.Sql;

/// <summary>One numbered schema change of one module, in one dialect.</summary>
public sealed record Migration(string Module, int Version, string Name, string Sql);

/// <summary>
/// A module's migrations, embedded in its assembly from <c>Storage/Migrations/{sqlite,postgres}/NNNN_name.sql</c>
/// (see src/Directory.Build.targets). Modules register one with <c>services.AddMigrations(...)</c>.
/// </summary>
public sealed partial record MigrationSet(string Module, Assembly Assembly)
{
    public IReadOnlyList<Migration> For(SqlDialect dialect)
    {
        var prefix = $"migrations/{dialect.ToString().ToLowerInvariant()}/";
        var migrations = new List<Migration>();
        foreach (var resource in Assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[prefix.Length..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Migration '{resource}' of module {Module} is not named NNNN_description.sql.");
            }

            using var stream = Assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(Module, int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture),
                match.Groups[2].Value, reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Module {Module} has two {dialect} migrations numbered {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
