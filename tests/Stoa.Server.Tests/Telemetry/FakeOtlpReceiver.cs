using System.Collections.Concurrent;
using System.Net;
using Stoa.Testing;

namespace Stoa.Server.Tests.Telemetry;

/// <summary>
/// Plays an OpenTelemetry collector's OTLP/HTTP endpoint (<c>/v1/traces</c>, <c>/v1/metrics</c>). An
/// <see cref="HttpListener"/> rather than ASP.NET Core, whose own request spans and meters would feed back into the
/// app under test.
/// </summary>
public sealed class FakeOtlpReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public FakeOtlpReceiver()
    {
        Endpoint = $"http://127.0.0.1:{TestPorts.GetFree()}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public string Endpoint { get; }

    public ConcurrentQueue<(string Path, string? ContentType, byte[] Body)> Requests { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _ = _loop.ContinueWith(static _ => { }, TaskScheduler.Default);
    }

    private async Task AcceptAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            Requests.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.ToArray()));
            // An empty ExportTraceServiceResponse / ExportMetricsServiceResponse is a valid protobuf message.
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }
}
