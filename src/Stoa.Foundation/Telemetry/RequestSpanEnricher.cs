using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace Stoa.Foundation.Telemetry;

/// <summary>
/// Completes ASP.NET Core 10's request span with what it only sets from .NET 11 on: <c>http.route</c>,
/// <c>http.response.status_code</c>, <c>error.type</c> and an error status for 5xx, and the name <c>GET /v1/route</c>.
/// </summary>
/// <remarks>
/// It listens to the host's own <see cref="DiagnosticListener"/> (the one in its container, so hosts in one process
/// stay apart) for the request activity's stop event, which hosting writes with the <see cref="HttpContext"/> after the
/// whole pipeline (error middleware included, so the status is final) and just before the activity stops, so the tags
/// are there when the exporters see the span. This is how OpenTelemetry.Instrumentation.AspNetCore (not available
/// here) does it. Hosting writes the stop event only when the start event is enabled too, hence both.
/// </remarks>
internal sealed class RequestSpanEnricher : IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private const string ActivityName = "Microsoft.AspNetCore.Hosting.HttpRequestIn";
    private const string StartEvent = ActivityName + ".Start";
    private const string StopEvent = ActivityName + ".Stop";

    private readonly IDisposable _subscription;

    public RequestSpanEnricher(DiagnosticListener listener)
    {
        // The deprecated BeginRequest/EndRequest events and routing's stay off.
        _subscription = listener.Subscribe(this, static (name, _, _) => name is ActivityName or StartEvent or StopEvent);
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key == StopEvent && value.Value is HttpContext context
            && context.Features.Get<IHttpActivityFeature>()?.Activity is { IsAllDataRequested: true } activity)
        {
            Enrich(context, activity);
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose() => _subscription.Dispose();

    private static void Enrich(HttpContext context, Activity activity)
    {
        var status = context.Response.StatusCode;
        activity.SetTag("http.response.status_code", status);
        // Hosting's tag has unknown methods folded into _OTHER, which keeps span names a small set.
        var method = activity.GetTagItem("http.request.method") as string ?? context.Request.Method;
        if (context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } route })
        {
            activity.SetTag("http.route", route);
            activity.DisplayName = $"{method} {route}";
        }
        else
        {
            activity.DisplayName = method;
        }

        // Server spans are errors on 5xx only; a 4xx is the client's mistake (OpenTelemetry HTTP semantic conventions).
        if (status >= StatusCodes.Status500InternalServerError)
        {
            if (activity.GetTagItem("error.type") is null)
            {
                activity.SetTag("error.type", status.ToString(CultureInfo.InvariantCulture));
            }

            activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
