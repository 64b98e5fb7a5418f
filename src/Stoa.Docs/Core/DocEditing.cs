using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoa.Foundation.Auth;
using Stoa.Foundation.Engine;

namespace Stoa.Docs.Core;

/// <summary>
/// The submit use case, the same for <c>POST /v1/docs/{id}/ops</c> and the WebSocket: the op's size, the caller's
/// access, the client id's owner, the user's op rate and the app's storage quota are checked once each, in that order
/// (cheapest first, nothing shared spent on a refused op), then the document's sequencer commits it.
/// </summary>
internal sealed partial class DocEditing(DocSequencers sequencers, DocAccessControl access, ClientBindings clients, StorageQuota quota,
    IEngine engine, IOptions<DocOptions> options, ILogger<DocEditing> logger, DocMetrics metrics)
{
    private readonly DocOptions _options = options.Value;

    public async Task<SubmitResult> SubmitAsync(Caller caller, Guid docId, OpSubmission submission, CancellationToken cancellationToken)
    {
        using var span = metrics.StartSubmit();
        OpLimits.Check(submission.Op, _options);
        await access.CheckAsync(caller, docId, cancellationToken);
        await clients.ClaimAsync(caller, docId, submission.ClientId, cancellationToken);
        await TakeRateTokenAsync(caller, cancellationToken);
        await quota.CheckAsync(caller.AppId, cancellationToken);
        var result = await sequencers.For(caller.AppId, docId).SubmitAsync(submission, caller.UserId, cancellationToken);
        span?.SetTag("stoa.docs.version", result.Version);
        span?.SetTag("stoa.docs.duplicate", result.Duplicate);
        return result;
    }

    /// <summary>One token from the user's op bucket, shared by every node (429 <c>rate_limited</c> when empty).</summary>
    private async Task TakeRateTokenAsync(Caller caller, CancellationToken cancellationToken)
    {
        var policy = new RateLimitPolicy(_options.OpsBurst, _options.OpsPerSecond);
        RateLimitDecision decision;
        try
        {
            decision = await engine.TryTakeAsync(EngineKeys.For(caller.AppId, "docs", "ops", caller.UserId ?? "server"), policy, 1, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // An unreachable limiter must not stop editing; the store still bounds what can be committed.
            LogLimiterFailure(logger, e);
            return;
        }

        if (!decision.Allowed)
        {
            throw DocErrors.Limited(decision.RetryAfter);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The docs rate limiter could not reach the engine; op let through")]
    private static partial void LogLimiterFailure(ILogger logger, Exception e);
}
