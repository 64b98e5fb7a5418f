namespace Stoa.Previews.Core;

/// <summary>
/// What the previews module offers other modules (comments unfurling the links of a comment): a short card for a
/// URL, through the previews cache. Stoa.Server adapts it to the port of the module that needs it.
/// </summary>
public interface ILinkCards
{
    /// <summary>The card for <paramref name="url"/>, or null when the page cannot be previewed (refused, failed, not found).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<LinkCardPreview?> PreviewAsync(Guid appId, Uri url, CancellationToken cancellationToken);
}

/// <summary>The few fields of a card another module shows.</summary>
public sealed record LinkCardPreview(string Url, string? Title, string? Description, string? ImageUrl, string? SiteName);
