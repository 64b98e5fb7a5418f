using System.Globalization;
using System.Net;
using System.Text.Json;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Stoa.Foundation.Json;
using Stoa.Foundation.Telemetry;

namespace Stoa.Quotes.Feeds;

/// <summary>
/// One quote provider over HTTP, behind a Polly pipeline: a retry (jittered exponential backoff, or the provider's
/// Retry-After on 429) around a circuit breaker around a per-request timeout. Garbage answers are not retried but do
/// count against the breaker, so a provider that broke its format stops being hammered too.
/// </summary>
internal sealed class HttpQuoteProvider : IDisposable
{
    private const int MaxBodyBytes = 64 * 1024;
    private readonly HttpFeedOptions _options;
    private readonly HttpClient _client;
    private readonly JsonFieldMapper _mapper;
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _breaker = new();
    private readonly ModuleTelemetry? _telemetry;
    private int _requests;

    /// <param name="telemetry">The module's, for the <c>quotes.provider.fetch</c> span; none in tests of the provider alone.</param>
    public HttpQuoteProvider(HttpFeedOptions options, TimeProvider time, HttpMessageHandler? handler = null, ModuleTelemetry? telemetry = null)
    {
        _options = options;
        _telemetry = telemetry;
        _mapper = new JsonFieldMapper(options);
        // The provider is a third party: it gets no traceparent, which would hand it this deployment's trace ids (a
        // propagator that writes nothing, rather than none, keeps HttpClient's span of each attempt).
        _client = new HttpClient(handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ActivityHeadersPropagator = System.Diagnostics.DistributedContextPropagator.CreateNoOutputPropagator(),
        })
        {
            // Polly's timeout is the deadline; this is only a backstop.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var transient = new PredicateBuilder()
            .Handle<HttpRequestException>()
            .Handle<TimeoutRejectedException>()
            .Handle<ProviderThrottledException>()
            .Handle<ProviderUnavailableException>();
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(options.RetryBaseDelaySeconds),
                MaxDelay = TimeSpan.FromSeconds(options.MaxBackoffSeconds),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ProviderThrottledException { RetryAfter: { } after }
                    ? (TimeSpan?)TimeSpan.FromSeconds(Math.Min(after.TotalSeconds, options.MaxBackoffSeconds))
                    : null),
            });
        }

        _pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutRejectedException>().Handle<ProviderException>(),
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = TimeSpan.FromSeconds(options.BreakerSamplingSeconds),
                BreakDuration = TimeSpan.FromSeconds(options.BreakerBreakSeconds),
                StateProvider = _breaker,
            })
            .AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds))
            .Build();
    }

    public CircuitState BreakerState => _breaker.CircuitState;

    /// <summary>Requests actually sent to the provider (tests check that an open breaker sends none).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>
    /// One quote from the provider, through the pipeline: the span <c>quotes.provider.fetch</c> covers every attempt
    /// (each an HttpClient span under it) and the back-off between them, and says how many there were.
    /// </summary>
    /// <exception cref="BrokenCircuitException">The breaker is open.</exception>
    public async ValueTask<ProviderQuote> FetchAsync(string symbol, CancellationToken cancellationToken)
    {
        using var span = _telemetry?.StartActivity("provider.fetch", System.Diagnostics.ActivityKind.Client);
        var before = Requests;
        try
        {
            return await _pipeline.ExecuteAsync(static (state, ct) => state.Self.FetchOnceAsync(state.Symbol, ct), (Self: this, Symbol: symbol), cancellationToken);
        }
        catch (Exception ex) when (span is not null)
        {
            span.SetStatus(System.Diagnostics.ActivityStatusCode.Error, ex.Message);
            span.SetTag("error.type", ErrorTypes.Of(ex));
            throw;
        }
        finally
        {
            span?.SetTag("stoa.quotes.provider.attempts", Requests - before);
        }
    }

    private async ValueTask<ProviderQuote> FetchOnceAsync(string symbol, CancellationToken cancellationToken)
    {
        var url = _options.UrlTemplate.Replace("{symbol}", Uri.EscapeDataString(symbol), StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/json");
        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        Interlocked.Increment(ref _requests);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new ProviderThrottledException(RetryAfter(response));
        }

        if ((int)response.StatusCode >= 500)
        {
            throw new ProviderUnavailableException((int)response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new ProviderGarbageException($"The quote provider answered {(int)response.StatusCode}.");
        }

        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            throw new ProviderGarbageException("The quote provider's answer is too large.");
        }

        var body = await ReadCappedAsync(response.Content, cancellationToken);
        try
        {
            using var document = JsonText.Parse(body);
            return _mapper.Map(document.RootElement);
        }
        catch (JsonException)
        {
            throw new ProviderGarbageException("The quote provider's answer is not JSON.");
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new ProviderGarbageException("The quote provider's answer is too large.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return response.Headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    public void Dispose() => _client.Dispose();
}
