namespace Stoa.Foundation.Auth;

/// <summary>
/// A tenant: an app with a public API key and a signing secret. During a rotation the previous secret stays valid
/// until <see cref="PreviousSecretExpiresAt"/>, so tokens already handed out keep working.
/// </summary>
public sealed record App(
    Guid Id,
    string Name,
    string ApiKey,
    string Secret,
    string? PreviousSecret,
    DateTimeOffset? PreviousSecretExpiresAt,
    DateTimeOffset CreatedAt,
    string AllowedOrigins = "")
{
    /// <summary>The web origins whose pages may use this app's key (<see cref="AllowedOrigins"/> is the stored form).</summary>
    public AppOrigins Origins { get; } = AppOrigins.FromStored(AllowedOrigins);

    /// <summary>The secrets a token may be signed with right now, current first.</summary>
    public IEnumerable<string> ValidSecrets(DateTimeOffset now)
    {
        yield return Secret;
        if (PreviousSecret is not null && PreviousSecretExpiresAt > now)
        {
            yield return PreviousSecret;
        }
    }
}
