namespace Stoa.Comments.Core;

/// <summary>A link card as comments show it (the previews module's answer, reduced).</summary>
public sealed record LinkCardSummary(string Url, string? Title = null, string? Description = null, string? ImageUrl = null, string? SiteName = null);

/// <summary>
/// The port through which comments unfurl the URLs in a body. Stoa.Server plugs the previews module in; on its own the
/// module registers <see cref="NoLinkPreviewer"/>. Callers treat it as best effort: a failure or timeout here never
/// fails a comment.
/// </summary>
public interface ILinkPreviewer
{
    Task<IReadOnlyList<LinkCardSummary>> PreviewAsync(IReadOnlyList<Uri> urls, Guid appId, CancellationToken cancellationToken);
}

/// <summary>The default when no previews module is connected: no cards.</summary>
internal sealed class NoLinkPreviewer : ILinkPreviewer
{
    public Task<IReadOnlyList<LinkCardSummary>> PreviewAsync(IReadOnlyList<Uri> urls, Guid appId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LinkCardSummary>>([]);
}
