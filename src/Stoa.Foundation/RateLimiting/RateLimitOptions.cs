using System.Globalization;
using Microsoft.Extensions.Configuration;
using Stoa.Foundation.Engine;

namespace Stoa.Foundation.RateLimiting;

/// <summary>
/// <c>Stoa:RateLimits</c>: named token-bucket policies, applied per (app, user) — or per client IP when there is no
/// user — to the endpoints that name them, and per app beside that (<see cref="RateLimitPolicyOptions.AppCapacity"/>),
/// since an app's backend can mint any number of user ids. Unnamed <c>/v1</c> endpoints use <c>default</c>.
/// <see cref="AuthPolicy"/> is taken per client network before an unknown API key is looked up in the store.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Stoa:RateLimits";

    /// <summary>The policy of API key lookups that miss the node's cache, per client address (IPv6: per /64).</summary>
    public const string AuthPolicy = "auth";

    public bool Enabled { get; set; } = true;

    public Dictionary<string, RateLimitPolicyOptions> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["default"] = new() { Capacity = 120, TokensPerSecond = 20, AppCapacity = 6000, AppTokensPerSecond = 1000 },
        ["writes"] = new() { Capacity = 30, TokensPerSecond = 5, AppCapacity = 1500, AppTokensPerSecond = 250 },
        ["reads"] = new() { Capacity = 1000, TokensPerSecond = 500, PerNode = true, AppCapacity = 20_000, AppTokensPerSecond = 10_000 },
        [AuthPolicy] = new() { Capacity = 60, TokensPerSecond = 5, PerNode = true },
    };

    /// <summary>Every policy whose bucket could never refill or never hold a token, named by its key.</summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        foreach (var (name, policy) in Policies)
        {
            if (policy.Capacity < 1)
            {
                errors.Add($"{Section}:Policies:{name}:Capacity: must be at least 1 (it is {policy.Capacity}).");
            }

            if (policy.TokensPerSecond is not > 0 || double.IsInfinity(policy.TokensPerSecond))
            {
                errors.Add($"{Section}:Policies:{name}:TokensPerSecond: must be a number more than 0 (it is {policy.TokensPerSecond}).");
            }

            if (policy.AppCapacity < 0)
            {
                errors.Add($"{Section}:Policies:{name}:AppCapacity: must be 0 (no per-app ceiling) or more (it is {policy.AppCapacity}).");
            }
            else if (policy.AppCapacity > 0 && (policy.AppTokensPerSecond is not > 0 || double.IsInfinity(policy.AppTokensPerSecond)))
            {
                errors.Add($"{Section}:Policies:{name}:AppTokensPerSecond: must be a number more than 0 when AppCapacity is set (it is {policy.AppTokensPerSecond}).");
            }
        }

        return errors;
    }

    /// <summary>
    /// Policy fields the binder would skip without a word: it leaves a dictionary entry's value unchanged when the
    /// text does not parse ("lots" tokens per second), and ignores a misspelt field. Both would leave a limit other
    /// than the one the operator meant.
    /// </summary>
    public static List<string> Unreadable(IConfigurationSection section)
    {
        var errors = new List<string>();
        foreach (var field in section.GetSection(nameof(Policies)).GetChildren().SelectMany(policy => policy.GetChildren()))
        {
            // The binder matches names without regard to case, and so does this.
            var readable = field.Key.ToUpperInvariant() switch
            {
                "CAPACITY" => int.TryParse(field.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
                "TOKENSPERSECOND" => double.TryParse(field.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                "PERNODE" => bool.TryParse(field.Value, out _),
                "APPCAPACITY" => int.TryParse(field.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _),
                "APPTOKENSPERSECOND" => double.TryParse(field.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _),
                _ => false,
            };
            if (!readable)
            {
                errors.Add($"{field.Path}: '{field.Value}' is not a setting of a policy (Capacity, an integer; TokensPerSecond, a number; PerNode, true or false; AppCapacity, an integer; AppTokensPerSecond, a number).");
            }
        }

        return errors;
    }
}

public sealed class RateLimitPolicyOptions
{
    /// <summary>Burst size: tokens in a full bucket.</summary>
    public int Capacity { get; set; }

    /// <summary>Sustained rate.</summary>
    public double TokensPerSecond { get; set; }

    /// <summary>
    /// Count in this node's memory instead of the shared engine: for very hot reads, where a round trip to Redis per
    /// request would cost more than the read itself. The limit then applies per node.
    /// </summary>
    public bool PerNode { get; set; }

    /// <summary>
    /// Burst size of the bucket every caller of one app shares for this policy (0: none). An app's backend mints user
    /// ids at will, so per-user buckets alone do not bound what one app can take from a node shared by many.
    /// </summary>
    public int AppCapacity { get; set; }

    /// <summary>Sustained rate of the per-app bucket.</summary>
    public double AppTokensPerSecond { get; set; }

    public RateLimitPolicy Policy => new(Capacity, TokensPerSecond);

    public RateLimitPolicy? AppPolicy => AppCapacity > 0 ? new(AppCapacity, AppTokensPerSecond) : null;
}
