using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stoa.Foundation.Engine;

namespace Stoa.Foundation.Errors;

/// <summary>
/// The one place where exceptions become responses: <see cref="ApiException"/> keeps its status and code, framework
/// request errors (bad JSON, wrong content type, body too large) get their own codes, and anything else is a 500
/// with no internal text in the body and the full exception in the log, tied together by the traceId.
/// </summary>
internal sealed partial class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            LogAborted(logger, context.Request.Path);
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            await HandleAsync(context, ex);
        }
    }

    private async Task HandleAsync(HttpContext context, Exception ex)
    {
        context.Response.Clear();
        var problem = Describe(ex, logger, context.Request.Method, context.Request.Path);
        await ProblemResponses.WriteAsync(context, problem.Status, problem.Code, problem.Detail, problem.Errors, problem.RetryAfterSeconds);
    }

    /// <summary>
    /// The problem an exception is answered with, logging what an operator needs (the gRPC services' interceptor
    /// answers with the same problems).
    /// </summary>
    internal static Problem Describe(Exception ex, ILogger logger, string method, string path)
    {
        switch (ex)
        {
            case ApiException api:
                if (api.Status >= 500)
                {
                    LogServerProblem(logger, api.Code, api.Message);
                }

                return new Problem(api.Status, api.Code, api.Message, api.Errors, api.RetryAfterSeconds);
            case Npgsql.PostgresException { SqlState: "22021" or "22P05" }:
                // PostgreSQL text cannot hold U+0000 (and rejects invalid byte sequences): the client's input, not
                // a server fault. Nothing was written: the statement failed inside its transaction.
                return new Problem(400, FoundationErrors.InvalidCharacter, "Text may not contain the NUL character (U+0000).");
            case Npgsql.NpgsqlException { IsTransient: true } transient:
                // The database is restarting or unreachable: the client may retry; this is not a bug to page on.
                LogServerProblem(logger, FoundationErrors.StoreUnavailable, transient.Message);
                return new Problem(503, FoundationErrors.StoreUnavailable, "The data store is unavailable; retry the request.", RetryAfterSeconds: 1);
            case Exception when EngineFailure.FindUnreachable(ex) is { } engine:
                // Redis is restarting or unreachable and the module had no answer of its own for that: the client
                // may retry (the engine reconnects by itself); modules that can degrade catch it before it gets here.
                LogServerProblem(logger, FoundationErrors.EngineUnavailable, engine.Message);
                return new Problem(503, FoundationErrors.EngineUnavailable, "The realtime engine is unavailable; retry the request.", RetryAfterSeconds: 1);
            case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } busy:
                // The embedded file stayed locked past the busy timeout (a read outside the retried transactions).
                LogServerProblem(logger, FoundationErrors.StoreBusy, busy.Message);
                return new Problem(503, FoundationErrors.StoreBusy, "The data store is busy; retry the request.", RetryAfterSeconds: 1);
            case BadHttpRequestException bad:
                var (code, detail) = Describe(bad);
                return new Problem(bad.StatusCode, code, detail);
            default:
                LogUnhandled(logger, ex, method, path);
                return new Problem(500, FoundationErrors.InternalError, "An unexpected error occurred. Quote the traceId when reporting it.");
        }
    }

    private static (string Code, string Detail) Describe(BadHttpRequestException bad)
    {
        if (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (FoundationErrors.PayloadTooLarge, "The request body is larger than this endpoint accepts.");
        }

        if (bad.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return (FoundationErrors.UnsupportedMediaType, "Send the body as application/json.");
        }

        for (Exception? inner = bad.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException or DecoderFallbackException or InvalidOperationException)
            {
                return (FoundationErrors.InvalidJson, "The request body is not valid JSON for this endpoint.");
            }

            if (inner is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
            {
                return (FoundationErrors.PayloadTooLarge, "The request body is larger than this endpoint accepts.");
            }
        }

        if (bad.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase)
            || bad.Message.Contains("JSON", StringComparison.OrdinalIgnoreCase))
        {
            return (FoundationErrors.InvalidJson, "A JSON request body is required.");
        }

        // Route and query binding failures ("limit=abc"): name the parameter without echoing framework internals.
        return (FoundationErrors.BadRequest, bad.Message.Length <= 200 ? bad.Message : "The request is malformed.");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception ex, string method, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Server-side problem {Code}: {Message}")]
    private static partial void LogServerProblem(ILogger logger, string code, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Request aborted by the client: {Path}")]
    private static partial void LogAborted(ILogger logger, string path);
}
