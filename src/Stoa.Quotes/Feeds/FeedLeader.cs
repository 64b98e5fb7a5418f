using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Stoa.Foundation.Engine;
using Stoa.Quotes.Core;
using Stoa.Quotes.Storage;

namespace Stoa.Quotes.Feeds;

/// <summary>
/// Runs the feed on exactly one node: whoever holds the engine lease. The holder renews it every TTL/3 and stops
/// feeding the moment a renewal fails or errs (it can no longer be sure nobody else took over); the others try to
/// take it every TTL/3, so a dead leader is replaced within the TTL. On a clean stop the lease is released at once.
/// </summary>
internal sealed partial class FeedLeader(ILeases leases, IQuoteFeed feed, QuotesOptions options, TimeProvider time, ILogger<FeedLeader> logger)
    : BackgroundService
{
    private volatile bool _isLeader;
    private int _terms;

    public bool IsLeader => _isLeader;

    /// <summary>Times this node became the leader.</summary>
    public int Terms => Volatile.Read(ref _terms);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var key = QuoteKeys.FeedLease(feed.Name);
        var ttl = options.LeaseTtl;
        while (!stoppingToken.IsCancellationRequested)
        {
            Lease? lease = null;
            try
            {
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                deadline.CancelAfter(ttl / 3);
                lease = await leases.TryAcquireAsync(key, ttl, deadline.Token);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogAcquireFailed(logger, ex);
            }

            if (lease is not null)
            {
                await LeadAsync(lease, stoppingToken);
            }

            try
            {
                await Task.Delay(ttl / 3, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task LeadAsync(Lease lease, CancellationToken stopping)
    {
        var ttl = options.LeaseTtl;
        using var term = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Interlocked.Increment(ref _terms);
        _isLeader = true;
        LogLeading(logger, feed.Name);
        var running = Task.Run(() => feed.RunAsync(term.Token), CancellationToken.None);
        try
        {
            while (!term.IsCancellationRequested)
            {
                var tick = Task.Delay(ttl / 3, time, term.Token);
                if (await Task.WhenAny(running, tick) == running)
                {
                    // The feed gave up by itself; let the lease go so that another node (or this one, later) retries.
                    break;
                }

                await tick;
                if (!await TryRenewAsync(lease, ttl, term.Token))
                {
                    LogLeaseLost(logger, feed.Name);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (term.IsCancellationRequested)
        {
        }
        finally
        {
            _isLeader = false;
            await term.CancelAsync();
            try
            {
                await running;
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception ex)
            {
                LogFeedFailed(logger, ex, feed.Name);
            }

            await ReleaseAsync(lease);
        }
    }

    private async Task<bool> TryRenewAsync(Lease lease, TimeSpan ttl, CancellationToken cancellationToken)
    {
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(ttl / 3);
            return await leases.RenewAsync(lease, ttl, deadline.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogRenewFailed(logger, ex);
            return false;
        }
    }

    private async Task ReleaseAsync(Lease lease)
    {
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await leases.ReleaseAsync(lease, deadline.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException || EngineFailure.IsUnreachable(ex))
        {
            // It expires by itself.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "This node now runs the {Feed} quote feed")]
    private static partial void LogLeading(ILogger logger, string feed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease of the {Feed} quote feed; stopped feeding")]
    private static partial void LogLeaseLost(ILogger logger, string feed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the quote feed lease")]
    private static partial void LogRenewFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not try for the quote feed lease")]
    private static partial void LogAcquireFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Feed} quote feed failed")]
    private static partial void LogFeedFailed(ILogger logger, Exception ex, string feed);
}
