using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Stoa.Foundation.Errors;

/// <summary>Writes RFC 9457 problem+json bodies that always carry a stable <c>code</c> and the request's <c>traceId</c>.</summary>
public static class ProblemResponses
{
    public const string CodeKey = "code";
    public const string TraceIdKey = "traceId";

    /// <summary>Fills in what every problem body carries; used for the framework's own problems too.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Extensions.TryAdd(CodeKey, FoundationErrors.ForStatus(status));
        problem.Extensions[TraceIdKey] = CurrentTraceId(context.HttpContext);
        problem.Title ??= ReasonPhrases.GetReasonPhrase(status);
    }

    public static string CurrentTraceId(HttpContext context) =>
        Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;

    public static async Task WriteAsync(HttpContext context, int status, string code, string detail,
        IReadOnlyDictionary<string, string[]>? errors = null, int? retryAfterSeconds = null)
    {
        if (Grpc.GrpcProblems.IsGrpc(context.Request))
        {
            await Grpc.GrpcProblems.WriteTrailersOnlyAsync(context, new Problem(status, code, detail, errors, retryAfterSeconds));
            return;
        }

        var response = context.Response;
        response.StatusCode = status;
        if (retryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = Math.Max(1, seconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        ProblemDetails problem = errors is null
            ? new ProblemDetails()
            : new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value));
        problem.Status = status;
        problem.Title = ReasonPhrases.GetReasonPhrase(status);
        problem.Detail = detail;
        problem.Extensions[CodeKey] = code;

        var writer = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        if (!await writer.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem }))
        {
            // The default writer declines when the Accept header excludes JSON; the body is still problem+json
            // because clients of an API want the code whatever they asked for.
            response.ContentType = "application/problem+json";
            Customize(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
            await response.WriteAsJsonAsync(problem, problem.GetType(), options: null, contentType: "application/problem+json");
        }
    }
}
