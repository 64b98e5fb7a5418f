using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Stoa.Foundation.Errors;

/// <summary>
/// A connection middleware that lets <see cref="KestrelRejection"/> rewrite the answers Kestrel writes on its own. It
/// sees the bytes Kestrel writes to the socket, so on an HTTPS endpoint of Kestrel's own (outside this middleware) it
/// sees ciphertext and changes nothing: there those answers keep their empty body. Behind a TLS-terminating balancer,
/// the usual deployment, every answer has one.
/// </summary>
internal static partial class KestrelRejectionBodies
{
    public static IConnectionBuilder UseKestrelRejectionBodies(this IConnectionBuilder builder, ILogger logger) =>
        builder.Use(next => context =>
        {
            context.Transport = new Transport(context.Transport, new RewritingWriter(context.Transport.Output, logger));
            return next(context);
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Request refused by the HTTP server before the app: {Status} {Code} traceId={TraceId}")]
    private static partial void LogRejected(ILogger logger, int status, string code, string traceId);

    private sealed class Transport(IDuplexPipe inner, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input => inner.Input;

        public PipeWriter Output => output;
    }

    /// <summary>Passes every write through, except a block that is exactly one of Kestrel's rejections.</summary>
    private sealed class RewritingWriter(PipeWriter inner, ILogger logger) : PipeWriter
    {
        private Memory<byte> _lent;

        public override Memory<byte> GetMemory(int sizeHint = 0) => _lent = inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => (_lent = inner.GetMemory(sizeHint)).Span;

        public override void Advance(int bytes)
        {
            if (KestrelRejection.IsCandidate(_lent.Span[..bytes]) && Rewrite(_lent.Span[..bytes]) is { } response)
            {
                // The rejection's bytes were written into memory lent by the inner writer but are not advanced over,
                // so they are never sent; the problem+json answer takes their place.
                inner.Write(response);
                return;
            }

            inner.Advance(bytes);
        }

        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default) =>
            KestrelRejection.IsCandidate(source.Span) && Rewrite(source.Span) is { } response
                ? inner.WriteAsync(response, cancellationToken)
                : inner.WriteAsync(source, cancellationToken);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        private byte[]? Rewrite(ReadOnlySpan<byte> block)
        {
            if (KestrelRejection.TryRewrite(block) is not { } rewritten)
            {
                return null;
            }

            LogRejected(logger, rewritten.Status, rewritten.Code, rewritten.TraceId);
            return rewritten.Response;
        }
    }
}
