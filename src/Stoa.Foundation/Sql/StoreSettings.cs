using System.Diagnostics.CodeAnalysis;
using Npgsql;

namespace Stoa.Foundation.Sql;

/// <summary>
/// The parsed <c>Stoa:Store</c> setting: <c>sqlite:PATH</c> (relative paths are under the working directory) or a
/// <c>postgres://</c> / <c>postgresql://</c> URL, whose query may carry <c>sslmode</c>, <c>application_name</c>,
/// <c>pool_max</c>, <c>timeout</c>, <c>command_timeout</c>, <c>options</c>, <c>max_auto_prepare</c> and <c>reset_on_close</c>.
/// <para>Statements are prepared once per connection: Npgsql prepares each statement a connection has run
/// <see cref="AutoPrepareMinUsages"/> times (keeping the <see cref="MaxAutoPrepare"/> most recent), and pooled
/// connections are not reset when they return to the pool. Npgsql's reset (<c>DISCARD ALL</c>, or with prepared
/// statements its seven-command equivalent that keeps them) is sent before the next statement of every checkout,
/// to undo session state (settings, temporary tables, LISTEN, advisory locks) that Stoa never creates. Measured in
/// docs/comments.md; <c>max_auto_prepare=0</c> and <c>reset_on_close=true</c> restore Npgsql's defaults.</para>
/// </summary>
public sealed record StoreSettings(SqlDialect Dialect, string ConnectionString, string Description)
{
    private static readonly Dictionary<string, string> s_postgresQueryKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["pool_max"] = "Maximum Pool Size",
        ["timeout"] = "Timeout",
        ["command_timeout"] = "Command Timeout",
        ["options"] = "Options",
        ["max_auto_prepare"] = "Max Auto Prepare",
        ["reset_on_close"] = "No Reset On Close",
    };

    /// <summary>Room for every statement a node sends (the comments module alone has about 60, with 42 listing and reply variants).</summary>
    public const int MaxAutoPrepare = 128;

    /// <summary>Npgsql's default: a statement run fewer times on a connection (start-up, migrations) is not worth preparing.</summary>
    public const int AutoPrepareMinUsages = 5;

    public static StoreSettings Parse(string value) =>
        TryParse(value, out var settings, out var error) ? settings : throw new ArgumentException(error, nameof(value));

    public static bool TryParse(string? value, [NotNullWhen(true)] out StoreSettings? settings, [NotNullWhen(false)] out string? error)
    {
        settings = null;
        value = value?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            error = "is empty; use sqlite:data/stoa.db or postgres://user:password@host:5432/stoa.";
            return false;
        }

        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            var path = value["sqlite:".Length..];
            if (path.Length == 0 || path.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || path.Contains(';'))
            {
                error = $"'{value}' has no valid file path after sqlite:.";
                return false;
            }

            var fullPath = Path.GetFullPath(path);
            settings = new StoreSettings(SqlDialect.Sqlite, $"Data Source={fullPath};Pooling=True", $"sqlite:{fullPath}");
            error = null;
            return true;
        }

        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
            || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return TryParsePostgresUrl(value, out settings, out error);
        }

        error = $"'{Redact(value)}' is neither sqlite:PATH nor a postgres:// URL.";
        return false;
    }

    private static bool TryParsePostgresUrl(string value, [NotNullWhen(true)] out StoreSettings? settings, [NotNullWhen(false)] out string? error)
    {
        settings = null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = $"'{Redact(value)}' is not a valid postgres://user:password@host:port/database URL.";
            return false;
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length == 0)
        {
            error = "the postgres:// URL names no database (postgres://host:5432/DATABASE).";
            return false;
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Trim('[', ']'),
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = database,
            Timeout = 5,
            CommandTimeout = 15,
            MaxPoolSize = 50,
            MaxAutoPrepare = MaxAutoPrepare,
            AutoPrepareMinUsages = AutoPrepareMinUsages,
            NoResetOnClose = true,
        };

        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            if (!s_postgresQueryKeys.TryGetValue(key, out var keyword))
            {
                error = $"unknown postgres:// URL parameter '{key}'; supported: {string.Join(", ", s_postgresQueryKeys.Keys)}.";
                return false;
            }

            try
            {
                var text = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
                // Named for what it turns on, the opposite of Npgsql's keyword.
                builder[keyword] = key.Equals("reset_on_close", StringComparison.OrdinalIgnoreCase) ? !bool.Parse(text) : text;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException)
            {
                error = $"postgres:// URL parameter '{key}' has an invalid value.";
                return false;
            }
        }

        settings = new StoreSettings(SqlDialect.Postgres, builder.ConnectionString,
            $"postgres://{builder.Host}:{builder.Port}/{builder.Database}");
        error = null;
        return true;
    }

    /// <summary>Never echo a password into logs or error messages.</summary>
    private static string Redact(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        return at > 0 && scheme > 0 && at > scheme ? value[..(scheme + 3)] + "***" + value[at..] : value;
    }
}
