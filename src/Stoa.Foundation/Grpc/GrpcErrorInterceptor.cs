using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Stoa.Foundation.Errors;

namespace Stoa.Foundation.Grpc;

/// <summary>
/// The gRPC side of the error middleware: a service throws what REST handlers throw (<see cref="ApiException"/> from
/// the same module code, store and engine failures), and the caller gets the same problem as a status with its
/// <c>stoa-code</c> trailer (<see cref="GrpcProblems"/>), never gRPC's own "Exception was thrown by handler".
/// </summary>
internal sealed class GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (Translate(ex, context) is { } rpc)
        {
            throw rpc;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (Translate(ex, context) is { } rpc)
        {
            throw rpc;
        }
    }

    /// <summary>The status to answer with; null to let gRPC handle it (a status already chosen, or the caller gone).</summary>
    private RpcException? Translate(Exception ex, ServerCallContext context)
    {
        if (ex is RpcException || (ex is OperationCanceledException && context.CancellationToken.IsCancellationRequested))
        {
            return null;
        }

        return GrpcProblems.ToRpcException(ErrorHandlingMiddleware.Describe(ex, logger, "POST", context.Method));
    }
}
