using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Net.Client;
using Stoa.Comments.Core;
using Stoa.Foundation.Auth;
using Stoa.Grpc.V1;

namespace Stoa.Server.Ports;

/// <summary>
/// Plugs previews running on other nodes (<c>Stoa:Previews:GrpcUrl</c>) into the comments module's
/// <see cref="ILinkPreviewer"/> port: one <c>BatchPreviews</c> call per comment, as the app's own backend would make it
/// (the app's API key and a server token signed with its secret, both from the shared store), so the previews node
/// applies the app's cache, limits and isolation as for any of its calls. Same bounds as the in-process adapter
/// (<see cref="CommentsLinkPreviewer"/>); URLs that fail, a refused call or an unreachable node give no cards.
/// </summary>
internal sealed partial class GrpcLinkPreviewer(GrpcChannel channel, AppStore apps, TimeProvider time, ILogger<GrpcLinkPreviewer> logger)
    : ILinkPreviewer, IDisposable
{
    private static readonly TimeSpan s_tokenTtl = TimeSpan.FromMinutes(10);
    private readonly Grpc.V1.Previews.PreviewsClient _client = new(channel);
    private readonly ConcurrentDictionary<Guid, Credentials> _credentials = new();

    public async Task<IReadOnlyList<LinkCardSummary>> PreviewAsync(IReadOnlyList<Uri> urls, Guid appId, CancellationToken cancellationToken)
    {
        if (urls.Count == 0 || await CredentialsAsync(appId, cancellationToken) is not { } credentials)
        {
            return [];
        }

        var request = new BatchPreviewsRequest();
        request.Urls.AddRange(urls.Take(CommentsLinkPreviewer.MaxUrls).Select(url => url.AbsoluteUri));
        var headers = new Metadata { { "x-api-key", credentials.ApiKey }, { "authorization", "Bearer " + credentials.Token } };
        try
        {
            var response = await _client.BatchPreviewsAsync(request, headers, time.GetUtcNow().UtcDateTime + CommentsLinkPreviewer.Deadline,
                cancellationToken);
            return [.. response.Items
                .Where(item => item.ResultCase == BatchItem.ResultOneofCase.Card)
                .Select(item => new LinkCardSummary(item.Card.Url, item.Card.HasTitle ? item.Card.Title : null,
                    item.Card.HasDescription ? item.Card.Description : null, item.Card.Images.FirstOrDefault()?.Url,
                    item.Card.HasSiteName ? item.Card.SiteName : null))];
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogRefused(logger, ex.StatusCode, ex.Trailers.GetValue("stoa-code") ?? "", channel.Target);
            return [];
        }
    }

    public void Dispose() => channel.Dispose();

    /// <summary>The app's key and a server token, kept while the app is as fresh as the auth middleware keeps it and the token has time left.</summary>
    private async ValueTask<Credentials?> CredentialsAsync(Guid appId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_credentials.TryGetValue(appId, out var kept) && now - kept.LoadedAt < AppDirectory.Freshness)
        {
            return kept;
        }

        if (await apps.FindByIdAsync(appId, cancellationToken) is not { } app)
        {
            return null;
        }

        var token = kept is not null && kept.Secret == app.Secret && kept.ExpiresAt - now > s_tokenTtl / 2
            ? kept.Token
            : JwtIssuer.Issue(app.Secret, "stoa-comments", server: true, s_tokenTtl, now);
        var credentials = new Credentials(app.ApiKey, app.Secret, token, now, kept?.Token == token ? kept.ExpiresAt : now + s_tokenTtl);
        if (_credentials.Count > 10_000)
        {
            _credentials.Clear();
        }

        _credentials[appId] = credentials;
        return credentials;
    }

    private sealed record Credentials(string ApiKey, string Secret, string Token, DateTimeOffset LoadedAt, DateTimeOffset ExpiresAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Link cards from the previews nodes at {Target} refused: {Status} {Code}")]
    private static partial void LogRefused(ILogger logger, StatusCode status, string code, string target);
}
