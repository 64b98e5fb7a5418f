using System.Globalization;
using System.Text;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Stoa.Foundation.Errors;

namespace Stoa.Foundation.Grpc;

/// <summary>
/// A <see cref="Problem"/> as gRPC carries it: the status code nearest to the HTTP status, the detail as the status
/// message (with the per-field messages of a validation failure appended), and the stable code in the
/// <c>stoa-code</c> trailer, beside <c>retry-after</c> (seconds) when the client should wait. The same problem is
/// answered whichever way it arises: thrown by a service (<see cref="GrpcErrorInterceptor"/>) or written by a
/// middleware before the service ran (authentication, rate limits, draining: a trailers-only response).
/// </summary>
public static class GrpcProblems
{
    public const string CodeTrailer = "stoa-code";
    public const string RetryAfterTrailer = "retry-after";

    /// <summary>Whether the request is a gRPC call (HTTP/2 with an <c>application/grpc</c> body).</summary>
    public static bool IsGrpc(HttpRequest request) =>
        request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The gRPC status for an HTTP status. Client-controlled input maps to a 4xx-equivalent code, never
    /// <see cref="StatusCode.Internal"/>, which only a 500 (a bug) gives.
    /// </summary>
    public static StatusCode StatusFor(int httpStatus) => httpStatus switch
    {
        400 or 413 or 414 or 415 or 422 or 431 => httpStatus == 413 ? StatusCode.ResourceExhausted : StatusCode.InvalidArgument,
        401 => StatusCode.Unauthenticated,
        403 => StatusCode.PermissionDenied,
        404 => StatusCode.NotFound,
        405 or 501 => StatusCode.Unimplemented,
        408 or 504 => StatusCode.DeadlineExceeded,
        409 or 412 => StatusCode.FailedPrecondition,
        429 => StatusCode.ResourceExhausted,
        502 or 503 => StatusCode.Unavailable,
        500 => StatusCode.Internal,
        < 500 => StatusCode.FailedPrecondition,
        _ => StatusCode.Unknown,
    };

    public static RpcException ToRpcException(Problem problem)
    {
        var trailers = new Metadata { { CodeTrailer, problem.Code } };
        if (problem.RetryAfterSeconds is { } seconds)
        {
            trailers.Add(RetryAfterTrailer, Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture));
        }

        return new RpcException(new Status(StatusFor(problem.Status), Message(problem)), trailers);
    }

    /// <summary>
    /// Answers a gRPC call that no service will see with a trailers-only response (HTTP 200, the status in the headers,
    /// no body), which is how the gRPC protocol refuses a call before any message.
    /// </summary>
    public static Task WriteTrailersOnlyAsync(HttpContext context, Problem problem)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        var headers = response.Headers;
        headers["grpc-status"] = ((int)StatusFor(problem.Status)).ToString(CultureInfo.InvariantCulture);
        headers["grpc-message"] = PercentEncode(Message(problem));
        headers[CodeTrailer] = problem.Code;
        if (problem.RetryAfterSeconds is { } seconds)
        {
            headers[RetryAfterTrailer] = Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture);
        }

        return response.CompleteAsync();
    }

    private static string Message(Problem problem)
    {
        if (problem.Errors is not { Count: > 0 } errors)
        {
            return problem.Detail;
        }

        var message = new StringBuilder(problem.Detail);
        foreach (var (field, messages) in errors)
        {
            foreach (var text in messages)
            {
                message.Append(CultureInfo.InvariantCulture, $" {field}: {text}.");
            }
        }

        return message.ToString();
    }

    /// <summary>The grpc-message header's encoding: printable ASCII but '%' as is, every other UTF-8 byte as %XX.</summary>
    private static string PercentEncode(string text)
    {
        var encoded = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= 0x20 and <= 0x7E && b != (byte)'%')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append(CultureInfo.InvariantCulture, $"%{b:X2}");
            }
        }

        return encoded.ToString();
    }
}
