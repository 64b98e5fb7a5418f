using Stoa.Comments.Core;
using Stoa.Previews.Core;

namespace Stoa.Server.Ports;

/// <summary>
/// Plugs the previews module into the comments module's <see cref="ILinkPreviewer"/> port when both run on this
/// node. Each URL is previewed through the previews cache, with a short deadline; URLs that fail are left out.
/// </summary>
internal sealed class CommentsLinkPreviewer(ILinkCards cards) : ILinkPreviewer
{
    /// <summary>Links unfurled per comment, whichever adapter fetches them.</summary>
    public const int MaxUrls = 3;

    /// <summary>How long a comment waits for its cards.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(3);

    public async Task<IReadOnlyList<LinkCardSummary>> PreviewAsync(IReadOnlyList<Uri> urls, Guid appId, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        var previews = await Task.WhenAll(urls.Take(MaxUrls).Select(async url =>
        {
            try
            {
                return await cards.PreviewAsync(appId, url, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
        }));
        return [.. previews
            .OfType<LinkCardPreview>()
            .Select(card => new LinkCardSummary(card.Url, card.Title, card.Description, card.ImageUrl, card.SiteName))];
    }
}
