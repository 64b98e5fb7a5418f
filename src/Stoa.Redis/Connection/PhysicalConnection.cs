using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using Stoa.Redis.Protocol;

namespace Stoa.Redis.Connection;

/// <summary>
/// One socket (optionally TLS) with its pipes and the queue of operations written but not yet answered. Replies
/// arrive in the order commands were written, so the head of <see cref="Pending"/> owns the next non-push frame.
/// Lives from a successful handshake until the first I/O or protocol error; a new one replaces it on reconnect.
/// </summary>
internal sealed class PhysicalConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly CancellationTokenSource _closed = new();

    private PhysicalConnection(Socket socket, Stream stream, long id)
    {
        _socket = socket;
        _stream = stream;
        Id = id;
        Reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096, leaveOpen: true));
        Writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024, leaveOpen: true));
    }

    /// <summary>Increases with every connection a <see cref="RedisConnection"/> makes.</summary>
    public long Id { get; }

    public PipeReader Reader { get; }

    public PipeWriter Writer { get; }

    public ConcurrentQueue<RedisOperation> Pending { get; } = new();

    /// <summary>Cancelled when this connection is being torn down.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Environment.TickCount64 of the last frame received.</summary>
    public long LastReceived;

    /// <summary>Connects, negotiates RESP3 with <c>HELLO 3</c> (AUTH, SETNAME), selects the database and runs the
    /// extra handshake commands (for instance CLIENT TRACKING) before anyone else's command can be written.</summary>
    public static async Task<PhysicalConnection> ConnectAsync(RedisOptions options, IReadOnlyList<string[]> extraHandshake, long id, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        try
        {
            await socket.ConnectAsync(new DnsEndPoint(options.Host, options.Port), timeout.Token);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (options.UseTls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions
                    {
                        TargetHost = options.TlsHost ?? options.Host,
                        RemoteCertificateValidationCallback = options.CertificateValidation,
                    },
                    timeout.Token);
            }

            var connection = new PhysicalConnection(socket, stream, id);
            try
            {
                await connection.HandshakeAsync(options, extraHandshake, timeout.Token);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }

            connection.LastReceived = Environment.TickCount64;
            return connection;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            await DisposeQuietlyAsync(socket, stream);
            throw new RedisConnectionException($"Could not connect to {options} within {options.ConnectTimeout}.", ex);
        }
        catch (Exception ex) when (ex is SocketException or IOException or AuthenticationException)
        {
            await DisposeQuietlyAsync(socket, stream);
            throw new RedisConnectionException($"Could not connect to {options}: {ex.Message}", ex);
        }
        catch
        {
            await DisposeQuietlyAsync(socket, stream);
            throw;
        }
    }

    private static async ValueTask DisposeQuietlyAsync(Socket socket, Stream? stream)
    {
        if (stream is not null)
        {
            try
            {
                await stream.DisposeAsync();
            }
            catch (IOException)
            {
            }
        }

        socket.Dispose();
    }

    private async Task HandshakeAsync(RedisOptions options, IReadOnlyList<string[]> extraHandshake, CancellationToken cancellationToken)
    {
        var hello = new List<string> { "HELLO", "3" };
        if (options.Password is not null)
        {
            hello.AddRange(["AUTH", options.User ?? "default", options.Password]);
        }

        if (options.ClientName is not null)
        {
            hello.AddRange(["SETNAME", options.ClientName]);
        }

        var commands = new List<string[]> { hello.ToArray() };
        if (options.Database != 0)
        {
            commands.Add(["SELECT", options.Database.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        }

        commands.AddRange(extraHandshake);

        // Pipelined: one round trip for the whole handshake.
        foreach (var command in commands)
        {
            var op = new RedisOperation();
            op.Command(command.Length);
            foreach (string arg in command)
            {
                op.Arg(arg);
            }

            Writer.Write(op.Payload);
            op.ReleaseBuffer();
        }

        await Writer.FlushAsync(cancellationToken);
        foreach (var command in commands)
        {
            var reply = await ReadReplyAsync(options.Limits, cancellationToken);
            if (reply.IsError)
            {
                throw new RedisConnectionException($"{command[0]} failed during the handshake with {options}: {reply.AsString()}");
            }
        }
    }

    private async Task<RespValue> ReadReplyAsync(RespLimits limits, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await Reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (TryParse(ref buffer, limits, out var value))
            {
                Reader.AdvanceTo(buffer.Start);
                if (value.Type == RespType.Push)
                {
                    continue;
                }

                return value;
            }

            Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                throw new RedisConnectionException("The server closed the connection during the handshake.");
            }
        }
    }

    private static bool TryParse(ref ReadOnlySequence<byte> buffer, in RespLimits limits, out RespValue value)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (RespReader.TryRead(ref reader, limits, out value))
        {
            buffer = buffer.Slice(reader.Position);
            return true;
        }

        return false;
    }

    /// <summary>Forces the loops to end: used on protocol errors, dead-connection detection and disposal.</summary>
    public void Abort()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Never throws: a broken socket makes completing the writer (which flushes) fail, and the connection is
    /// being thrown away anyway.</summary>
    public async ValueTask DisposeAsync()
    {
        Abort();
        await IgnoreFailureAsync(Reader.CompleteAsync());
        await IgnoreFailureAsync(Writer.CompleteAsync());
        await IgnoreFailureAsync(_stream.DisposeAsync());
        _socket.Dispose();

        // _closed is not disposed: late Abort() calls (keep-alive timer, disposal) must stay harmless.
    }

    private static async ValueTask IgnoreFailureAsync(ValueTask pending)
    {
        try
        {
            await pending;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
        }
    }
}
