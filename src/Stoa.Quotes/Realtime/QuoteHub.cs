using Microsoft.Extensions.Logging;
using Stoa.Quotes.Core;

namespace Stoa.Quotes.Realtime;

/// <summary>
/// This node's fan-out of quote ticks to its stream clients. One engine subscription per scope (the market, and
/// each app with a client connected here), shared by all of the node's clients and dropped with the last of them;
/// each tick is offered to the interested clients' buffers, which never block.
/// </summary>
internal sealed partial class QuoteHub : IAsyncDisposable
{
    private readonly IQuoteStore _store;
    private readonly ILogger<QuoteHub> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<Guid, Scope> _scopes = [];

    public QuoteHub(IQuoteStore store, ILogger<QuoteHub> logger)
    {
        _store = store;
        _logger = logger;
        _store.SubscriptionsRestored += OnSubscriptionsRestored;
    }

    public int ListenerCount
    {
        get
        {
            lock (_scopes)
            {
                return _scopes.TryGetValue(QuoteScope.Market, out var market) ? market.Listeners.Length : 0;
            }
        }
    }

    /// <summary>Starts delivering ticks to the listener; active when this completes. Dispose the result to leave.</summary>
    public async ValueTask<IAsyncDisposable> JoinAsync(StreamListener listener, CancellationToken cancellationToken)
    {
        await AddAsync(QuoteScope.Market, listener, cancellationToken);
        try
        {
            await AddAsync(listener.AppId, listener, cancellationToken);
        }
        catch
        {
            await RemoveAsync(QuoteScope.Market, listener);
            throw;
        }

        return new Membership(this, listener);
    }

    private async ValueTask AddAsync(Guid scopeId, StreamListener listener, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            Scope? scope;
            lock (_scopes)
            {
                _scopes.TryGetValue(scopeId, out scope);
            }

            if (scope is null)
            {
                var created = new Scope();
                created.Subscription = await _store.SubscribeAsync(scopeId, quote => Dispatch(created, scopeId, quote), cancellationToken);
                scope = created;
                lock (_scopes)
                {
                    _scopes[scopeId] = scope;
                }
            }

            lock (_scopes)
            {
                scope.Listeners = [.. scope.Listeners, listener];
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async ValueTask RemoveAsync(Guid scopeId, StreamListener listener)
    {
        IAsyncDisposable? unsubscribe = null;
        await _gate.WaitAsync(CancellationToken.None);
        try
        {
            lock (_scopes)
            {
                if (!_scopes.TryGetValue(scopeId, out var scope))
                {
                    return;
                }

                scope.Listeners = [.. scope.Listeners.Where(l => l != listener)];
                if (scope.Listeners.Length == 0)
                {
                    _scopes.Remove(scopeId);
                    unsubscribe = scope.Subscription;
                }
            }

            if (unsubscribe is not null)
            {
                await unsubscribe.DisposeAsync();
            }
        }
        catch (Exception ex) when (EngineFailures.IsUnavailable(ex))
        {
            // The engine is gone; so is the subscription.
            LogUnsubscribeFailed(_logger, ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static ValueTask Dispatch(Scope scope, Guid scopeId, Quote quote)
    {
        var own = !QuoteScope.IsMarket(scopeId);
        foreach (var listener in scope.Listeners)
        {
            if (listener.Symbols.Contains(quote.Symbol))
            {
                listener.Buffer.Offer(quote, own);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Ticks were lost in a gap: give every client the current quotes again (their buffers drop what they already have).</summary>
    private void OnSubscriptionsRestored()
    {
        StreamListener[] listeners;
        lock (_scopes)
        {
            listeners = _scopes.TryGetValue(QuoteScope.Market, out var market) ? market.Listeners : [];
        }

        _ = Task.Run(async () =>
        {
            // The data connection may come back a little after the subscriber's: retry for a while.
            var delay = TimeSpan.FromMilliseconds(100);
            for (var attempt = 0; attempt < 20; attempt++)
            {
                try
                {
                    foreach (var listener in listeners)
                    {
                        await OfferCurrentAsync(listener, CancellationToken.None);
                    }

                    return;
                }
                catch (Exception ex) when (EngineFailures.IsUnavailable(ex))
                {
                    LogResyncFailed(_logger, ex);
                    await Task.Delay(delay);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
                }
            }
        });
    }

    /// <summary>Offers the listener the stored quotes of its symbols (the market's and its app's own).</summary>
    public async ValueTask OfferCurrentAsync(StreamListener listener, CancellationToken cancellationToken)
    {
        foreach (var symbol in listener.SymbolList)
        {
            if (await _store.GetAsync(QuoteScope.Market, symbol, cancellationToken) is { } market)
            {
                listener.Buffer.Offer(market, own: false);
            }

            if (await _store.GetAsync(listener.AppId, symbol, cancellationToken) is { } own)
            {
                listener.Buffer.Offer(own, own: true);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _store.SubscriptionsRestored -= OnSubscriptionsRestored;
        List<IAsyncDisposable> subscriptions;
        lock (_scopes)
        {
            subscriptions = [.. _scopes.Values.Select(s => s.Subscription).OfType<IAsyncDisposable>()];
            _scopes.Clear();
        }

        foreach (var subscription in subscriptions)
        {
            try
            {
                await subscription.DisposeAsync();
            }
            catch (Exception ex) when (EngineFailures.IsUnavailable(ex))
            {
                LogUnsubscribeFailed(_logger, ex);
            }
        }
    }

    private sealed class Scope
    {
        public IAsyncDisposable? Subscription;

        // Replaced, never mutated: the dispatcher reads it without a lock.
        public volatile StreamListener[] Listeners = [];
    }

    private sealed class Membership(QuoteHub hub, StreamListener listener) : IAsyncDisposable
    {
        private int _disposed;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await hub.RemoveAsync(listener.AppId, listener);
                await hub.RemoveAsync(QuoteScope.Market, listener);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe from quote ticks")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not resend current quotes after a pub/sub gap")]
    private static partial void LogResyncFailed(ILogger logger, Exception ex);
}
