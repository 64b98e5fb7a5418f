namespace Stoa.Previews.Core;

/// <summary>
/// A preview failure with a stable <see cref="Code"/> from <see cref="PreviewErrors"/>. <see cref="Exception.Message"/>
/// is safe to show to clients: it never carries resolved addresses or internal detail (that stays in InnerException).
/// </summary>
internal sealed class PreviewException : Exception
{
    public PreviewException(string code, string? message = null, Exception? innerException = null)
        : base(message ?? PreviewErrors.DefaultMessage(code), innerException)
    {
        Code = code;
    }

    public string Code { get; }

    public int HttpStatus => PreviewErrors.HttpStatusOf(Code);

    /// <summary>The upstream's HTTP status for <see cref="PreviewErrors.UpstreamStatus"/>.</summary>
    public int? UpstreamStatus { get; init; }

    /// <summary>When to try again, for <see cref="PreviewErrors.UpstreamCircuitOpen"/> (the Retry-After header).</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>
    /// False for a timeout the host is not to blame for: the preview's deadline ran out while the host still had less
    /// than a fair share of it (a slow page ahead of it in the same preview). Such a timeout leaves the host's breaker alone.
    /// </summary>
    public bool ChargedToHost { get; init; } = true;
}
