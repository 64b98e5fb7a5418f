namespace Stoa.Previews.Core;

/// <summary>
/// A card and how long the upstream said it may be cached (Cache-Control s-maxage/max-age, else Expires − Date;
/// zero for no-store/no-cache; null when it said nothing). The caller clamps it to its own TTL bounds.
/// </summary>
internal sealed record PreviewResult(LinkCard Card, TimeSpan? UpstreamMaxAge);
