using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Stoa.Foundation.Errors;

namespace Stoa.Foundation.Grpc;

/// <summary>
/// Refuses a gRPC call whose one request message is not a message of its method (INVALID_ARGUMENT with
/// <c>bad_request</c>). Grpc.AspNetCore parses the message before any interceptor or service runs and answers a parse
/// failure itself as UNKNOWN, with an error log line per call: a client could fill the logs, and would get no stable
/// code. The message is parsed here from what the request pipe already holds, without consuming it, so the service
/// reads the same bytes; calls with a compressed, streamed or large body (past <see cref="MaxCheckedBytes"/>) are
/// left to the framework, whose size limit still applies.
/// </summary>
internal sealed class GrpcMessageCheckMiddleware(RequestDelegate next)
{
    /// <summary>Below HTTP/2's initial stream window, so the pipe always holds a whole body this size without consuming it.</summary>
    internal const int MaxCheckedBytes = 64 * 1024;

    private static readonly ConcurrentDictionary<IMethod, Func<DeserializationContext, object>?> s_parsers = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (GrpcProblems.IsGrpc(context.Request)
            && context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is { Method: { Type: MethodType.Unary or MethodType.ServerStreaming } method }
            && s_parsers.GetOrAdd(method, ParserOf) is { } parse
            && !await IsMessageAsync(context, parse))
        {
            await ProblemResponses.WriteAsync(context, StatusCodes.Status400BadRequest, FoundationErrors.BadRequest,
                $"The request is not a {method.ServiceName}.{method.Name} message.");
            return;
        }

        await next(context);
    }

    private static async Task<bool> IsMessageAsync(HttpContext context, Func<DeserializationContext, object> parse)
    {
        // What Grpc.AspNetCore does before it reads (its own message size limit replaces Kestrel's body limit), done
        // first since the limit cannot change once reading began; the loop below holds at most MaxCheckedBytes.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var body = context.Request.BodyReader;
        while (true)
        {
            var read = await body.ReadAsync(context.RequestAborted);
            var buffer = read.Buffer;
            bool? verdict = buffer.Length > MaxCheckedBytes || read.IsCanceled ? true
                : read.IsCompleted ? IsMessage(buffer, parse)
                : null;
            // Examined but not consumed: the next reader (the framework) starts again from the first byte.
            body.AdvanceTo(buffer.Start, buffer.End);
            if (verdict is { } isMessage)
            {
                return isMessage;
            }
        }
    }

    private static bool IsMessage(ReadOnlySequence<byte> body, Func<DeserializationContext, object> parse)
    {
        // One length-prefixed message: a compression flag, a big-endian length, the bytes. A malformed frame, a
        // compressed message or more than one message is the framework's to answer.
        Span<byte> prefix = stackalloc byte[5];
        if (body.Length < 5)
        {
            return true;
        }

        body.Slice(0, 5).CopyTo(prefix);
        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        if (prefix[0] != 0 || length != body.Length - 5)
        {
            return true;
        }

        try
        {
            parse(new Payload(body.Slice(5)));
            return true;
        }
        catch (Google.Protobuf.InvalidProtocolBufferException)
        {
            return false;
        }
    }

    /// <summary>The method's own request deserializer (the one the framework will use), or null for a method that has none.</summary>
    private static Func<DeserializationContext, object>? ParserOf(IMethod method)
    {
        var requestType = method.GetType().IsGenericType ? method.GetType().GetGenericArguments()[0] : null;
        var marshaller = method.GetType().GetProperty("RequestMarshaller")?.GetValue(method);
        var deserializer = marshaller?.GetType().GetProperty("ContextualDeserializer")?.GetValue(marshaller);
        return requestType is null || deserializer is null ? null
            : (Func<DeserializationContext, object>)typeof(GrpcMessageCheckMiddleware)
                .GetMethod(nameof(Boxed), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(requestType).Invoke(null, [deserializer])!;
    }

    private static Func<DeserializationContext, object> Boxed<T>(Func<DeserializationContext, T> deserialize) =>
        payload => deserialize(payload)!;

    /// <summary>The message's bytes as gRPC's deserializers take them.</summary>
    private sealed class Payload(ReadOnlySequence<byte> bytes) : DeserializationContext
    {
        public override int PayloadLength => (int)bytes.Length;

        public override byte[] PayloadAsNewBuffer() => bytes.ToArray();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => bytes;
    }
}
