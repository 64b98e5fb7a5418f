using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Stoa.Redis.Protocol;

namespace Stoa.Testing;

/// <summary>
/// A scripted RESP3 server on loopback for failure modes a real Redis will not produce on demand: it answers each
/// command with whatever frames the script returns (none at all = never answers; a <c>default(RespValue)</c> frame
/// flushes what came before and pauses 200 ms, which delays this connection's later replies too, like a slow server).
/// Library tests build any frame; engine tests use the few frames offered here.
/// </summary>
public sealed class FakeRedisServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string[], IEnumerable<RespValue>> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;

    public FakeRedisServer(Func<string[], IEnumerable<RespValue>> script)
    {
        _script = script;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Url => $"redis://127.0.0.1:{Port}";

    /// <summary>Standard handshake replies; null for everything else so the script decides.</summary>
    public static IEnumerable<RespValue>? Handshake(string[] command) => command[0].ToUpperInvariant() switch
    {
        "HELLO" => [RespValue.FromAggregate(RespType.Map, [RespValue.BulkString("proto"), RespValue.FromInteger(3)])],
        "CLIENT" or "SELECT" => [Ok],
        _ => null,
    };

    /// <summary>The simple string <c>+OK</c>.</summary>
    public static RespValue Ok => RespValue.FromBytes(RespType.SimpleString, "OK"u8.ToArray());

    /// <summary>The RESP3 push a tracking connection gets when <paramref name="key"/> changes.</summary>
    public static RespValue Invalidation(string key) =>
        RespValue.FromAggregate(RespType.Push, [RespValue.BulkString("invalidate"), RespValue.FromAggregate(RespType.Array, [RespValue.BulkString(key)])]);

    /// <summary>A server whose first GET is answered by that key's invalidation and then "old", and every later GET by
    /// "new": an invalidation that overtakes the reply it invalidates (Lettuce #3481).</summary>
    public static FakeRedisServer InvalidatingFirstRead()
    {
        int gets = 0;
        return new FakeRedisServer(command => Handshake(command) ?? (Interlocked.Increment(ref gets) == 1
            ? [Invalidation(command[1]), RespValue.BulkString("old")]
            : [RespValue.BulkString("new")]));
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(socket);
                }

                _ = ServeAsync(socket);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (InvalidOperationException)
        {
            // Stopped while accepting (disposal).
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = PipeReader.Create(stream);
        var writer = PipeWriter.Create(stream);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_stop.Token);
                var buffer = result.Buffer;
                while (TryReadCommand(ref buffer, out var command))
                {
                    foreach (var frame in _script(command))
                    {
                        if (frame.Type == RespType.None)
                        {
                            await writer.FlushAsync(_stop.Token);
                            await Task.Delay(200, _stop.Token);
                            continue;
                        }

                        RespWriter.WriteValue(writer, frame);
                    }

                    await writer.FlushAsync(_stop.Token);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
        {
        }
    }

    private static bool TryReadCommand(ref ReadOnlySequence<byte> buffer, out string[] command)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!RespReader.TryRead(ref reader, RespLimits.Default, out var value))
        {
            command = [];
            return false;
        }

        buffer = buffer.Slice(reader.Position);
        command = value.Items.ToArray().Select(item => item.AsString()!).ToArray();
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Dispose();
            }
        }

        await _accepting;
    }
}
