using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Stoa.Testing;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// deploy/haproxy.cfg run by a real haproxy: its own error answers are problem+json with a code, as the nodes' are,
/// so a client sees the same kind of error whether a node failed or answered with one (issue 11: "errors during a
/// fault are only 5xx problem+json with codes").
/// </summary>
public sealed class HaproxyErrorTests
{
    [Fact]
    public async Task A_node_that_dies_with_the_request_in_flight_gives_502_node_failed()
    {
        using var nodes = new DyingNodes();
        using var haproxy = await HaproxyServer.StartAsync(RepoFiles.PathOf("deploy"), nodes.Ports);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{haproxy.Port}") };

        using var response = await http.PostAsync("/v1/threads/t/comments", new StringContent("{\"body\":\"x\"}", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.BadGateway, "node_failed", haproxy);
        Assert.Equal("1", response.Headers.RetryAfter?.ToString());
    }

    [Fact]
    public async Task No_reachable_node_gives_503_no_node_available()
    {
        // Ports nothing listens on: every connection is refused, the retries run out.
        int[] ports = [TestPorts.GetFree(), TestPorts.GetFree(), TestPorts.GetFree()];
        using var haproxy = await HaproxyServer.StartAsync(RepoFiles.PathOf("deploy"), ports);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{haproxy.Port}") };

        using var response = await http.GetAsync("/v1/quotes/AAPL", TestContext.Current.CancellationToken);

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "no_node_available", haproxy);
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, HaproxyServer haproxy)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}\n{haproxy.Output}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.Equal((int)status, body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("detail").GetString()));
    }

    /// <summary>
    /// Three stand-in nodes that pass haproxy's readiness check but drop every other request unanswered, as a node
    /// killed mid-request does.
    /// </summary>
    private sealed class DyingNodes : IDisposable
    {
        private readonly List<TcpListener> _listeners = [];
        private readonly CancellationTokenSource _stop = new();

        public DyingNodes()
        {
            for (var i = 0; i < 3; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                _listeners.Add(listener);
                _ = AcceptLoopAsync(listener);
            }
        }

        public IReadOnlyList<int> Ports => [.. _listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];

        private async Task AcceptLoopAsync(TcpListener listener)
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                _ = AnswerAsync(client);
            }
        }

        private static async Task AnswerAsync(TcpClient client)
        {
            using (client)
            {
                try
                {
                    var stream = client.GetStream();
                    var head = new StringBuilder();
                    var buffer = new byte[4096];
                    while (!head.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                    {
                        var read = await stream.ReadAsync(buffer);
                        if (read == 0)
                        {
                            return;
                        }

                        head.Append(Encoding.ASCII.GetString(buffer, 0, read));
                    }

                    if (head.ToString().StartsWith("GET /readyz ", StringComparison.Ordinal))
                    {
                        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray());
                    }

                    // Anything else: the connection closes with no answer.
                }
                catch (IOException)
                {
                }
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            foreach (var listener in _listeners)
            {
                listener.Stop();
            }

            _stop.Dispose();
        }
    }
}
