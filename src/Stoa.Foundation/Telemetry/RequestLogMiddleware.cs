using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoa.Foundation.Errors;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// One log line per request once it is answered: method, path, status, milliseconds and traceId, so that a client's
/// 4xx (whose body carries the traceId) can be found in the log. The same traceId goes out in <c>X-Trace-Id</c> on
/// every response, errors or not. The query string is left out: streams carry <c>api_key</c> and
/// <c>access_token</c> there. Probes and scrapes (<c>/healthz</c>, <c>/readyz</c>, <c>/metrics</c>) are logged at Debug,
/// or a Kubernetes node would log little else. ASP.NET Core's own request logging stays at Warning
/// (appsettings.json), so lines are not doubled.
/// </summary>
internal sealed partial class RequestLogMiddleware(RequestDelegate next, ILoggerFactory loggers)
{
    public const string TraceIdHeader = "X-Trace-Id";

    private readonly ILogger _logger = loggers.CreateLogger("Stoa.Requests");

    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var traceId = ProblemResponses.CurrentTraceId(context);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[TraceIdHeader] = traceId;
            return Task.CompletedTask;
        });
        try
        {
            await next(context);
        }
        finally
        {
            var path = context.Request.PathBase + context.Request.Path;
            var level = TelemetryNames.IsProbe(context.Request.Path) ? LogLevel.Debug : LogLevel.Information;
            LogRequest(_logger, level, context.Request.Method, path.Value ?? "/", context.Response.StatusCode,
                Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1), traceId);
        }
    }

    [LoggerMessage(Message = "{Method} {Path} {StatusCode} in {ElapsedMs} ms, traceId {TraceId}")]
    private static partial void LogRequest(ILogger logger, LogLevel level, string method, string path, int statusCode, double elapsedMs, string traceId);
}
