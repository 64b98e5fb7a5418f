namespace Stoa.Foundation.Errors;

/// <summary>
/// Collects per-field messages and throws one 400 <c>validation_failed</c> listing all of them, so a client sees every
/// problem with its request at once rather than one per round trip.
/// </summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public Validation Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            list = [];
            _errors[field] = list;
        }

        list.Add(message);
        return this;
    }

    public Validation Require(bool condition, string field, string message) => condition ? this : Add(field, message);

    public Validation Length(string? value, string field, int min, int max)
    {
        if (value is null)
        {
            return min > 0 ? Add(field, "is required") : this;
        }

        return value.Length < min || value.Length > max
            ? Add(field, min == max ? $"must be {min} characters" : $"must be {min} to {max} characters")
            : this;
    }

    /// <summary>
    /// An id the client chooses and then names in paths (a thread id, a user id): 1 to <paramref name="maxLength"/>
    /// characters of any script, no control characters, and not "." or "..", which HTTP clients and proxies resolve
    /// away as path segments (so such a thread could never be addressed). The rules are stated in docs/ids.md.
    /// </summary>
    /// <summary><see cref="PathId"/>'s characters as a pattern (its length goes in maxLength), for the OpenAPI document.</summary>
    public const string PathIdPattern = @"^(?!\.\.?$)[^\u0000-\u001F\u007F-\u009F]+$";

    public Validation PathId(string? value, string field, int maxLength)
    {
        Length(value, field, 1, maxLength);
        if (value is null)
        {
            return this;
        }

        if (value.Any(char.IsControl))
        {
            Add(field, "must not contain control characters");
        }

        return value is "." or ".." ? Add(field, "must not be \".\" or \"..\"") : this;
    }

    public Validation Range(long value, string field, long min, long max) =>
        value < min || value > max ? Add(field, $"must be between {min} and {max}") : this;

    public void ThrowIfInvalid()
    {
        if (!IsValid)
        {
            throw new ApiException(400, FoundationErrors.ValidationFailed, "The request has invalid fields.",
                _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }

    /// <summary>Throws a validation failure for a single field.</summary>
    public static ApiException Failed(string field, string message) =>
        new(400, FoundationErrors.ValidationFailed, "The request has invalid fields.",
            new Dictionary<string, string[]> { [field] = [message] });
}
