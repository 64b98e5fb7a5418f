using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Stoa.Testing;

namespace Stoa.Docs.Tests;

/// <summary>
/// The attack from the issue, against the real server in its own process (so that its resident memory is its own):
/// one user sends 600 ops of 256 KiB, then asks for the whole op log three times at once and opens a socket from
/// version 0 that never reads. Reads are paged by bytes and a socket's catch-up waits for the client, so the node
/// stays under 512 MiB (before paging it went from 229 MiB to 4.9 GiB; with the read page and socket queue bounds set
/// to 2 GB here, this test sees 1.3 GiB; with the defaults, about 200 MiB).
/// </summary>
public sealed class MemoryAttackTests
{
    private const long Limit = 512L * 1024 * 1024;
    private const int Ops = 600;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Six_hundred_ops_of_256_KiB_then_whole_log_reads_keep_the_node_under_512_MiB()
    {
        var port = TestPorts.GetFree();
        var environment = new Dictionary<string, string>
        {
            ["Stoa__Store"] = TestStores.CreateSqlite(),
            ["Stoa__Urls"] = $"http://127.0.0.1:{port}",
            ["Stoa__DevMode"] = "false",
            ["Stoa__LogFormat"] = "json",
            // The attacker is as fast as the node lets one user be: no limiter holds the ops back.
            ["Stoa__RateLimits__Enabled"] = "false",
            ["Stoa__Docs__OpsPerSecond"] = "100000",
            ["Stoa__Docs__OpsBurst"] = "100000",
            ["Stoa__Docs__SocketMessagesPerSecond"] = "100000",
            ["Stoa__Docs__SocketMessageBurst"] = "100000",
        };

        await RunAsync(environment, "migrate");
        using var credentials = JsonDocument.Parse(await RunAsync(environment, "apps", "create", "attack", "--json"));
        var apiKey = credentials.RootElement.GetProperty("apiKey").GetString()!;
        var token = TestTokens.User(credentials.RootElement.GetProperty("secret").GetString()!, "mallory");

        using var node = Start(environment);
        try
        {
            await AttackAsync(node, port, apiKey, token);
        }
        finally
        {
            // Disposing a Process leaves it running: the node would outlive the test run.
            node.Kill(entireProcessTree: true);
            await node.WaitForExitAsync(CancellationToken.None);
        }
    }

    private static async Task AttackAsync(Process node, int port, string apiKey, string token)
    {
        using var sampler = new RssSampler(node.Id);
        var baseUri = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        await WaitReadyAsync(http, node);

        var created = await http.PostAsync("/v1/docs", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("id").GetGuid();
        var live = $"ws://127.0.0.1:{port}/v1/docs/{id}/live?api_key={Uri.EscapeDataString(apiKey)}&access_token={token}";

        // 600 ops of 65,536 four-byte code points (256 KiB each), each replacing the last, one in flight at a time.
        using (var writer = new ClientWebSocket())
        {
            await writer.ConnectAsync(new Uri(live + "&clientId=mallory-1"), Ct);
            var text = string.Concat(Enumerable.Repeat("😀", 65_536));
            for (var seq = 1; seq <= Ops; seq++)
            {
                var op = seq == 1 ? $"[\"{text}\"]" : $"[{{\"d\":65536}},\"{text}\"]";
                var frame = Encoding.UTF8.GetBytes($$"""{"type":"op","baseVersion":{{seq - 1}},"op":{{op}},"clientId":"mallory-1","seq":{{seq}}}""");
                await writer.SendAsync(frame, WebSocketMessageType.Text, true, Ct);
                await ReadUntilAckAsync(writer, seq);
            }
        }

        // Three whole-log reads at once and a socket from version 0 that never reads what it is sent.
        using var idle = new ClientWebSocket();
        await idle.ConnectAsync(new Uri(live + "&clientId=mallory-2&from=0"), Ct);
        var reads = Enumerable.Range(0, 3).Select(_ => ReadWholeLogAsync(http, id)).ToList();
        (await Task.WhenAll(reads)).ShouldAllBe(count => count == Ops);
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        node.HasExited.ShouldBeFalse();
        TestContext.Current.TestOutputHelper?.WriteLine($"peak resident memory: {sampler.Peak / (1024 * 1024)} MiB");
        sampler.Peak.ShouldBeLessThan(Limit, $"peak resident memory {sampler.Peak / (1024 * 1024)} MiB");
    }

    /// <summary>Pages through the op log from version 0 as a client would; returns the ops read.</summary>
    private static async Task<int> ReadWholeLogAsync(HttpClient http, Guid id)
    {
        var count = 0;
        long from = 0;
        while (true)
        {
            using var response = await http.GetAsync($"/v1/docs/{id}/ops?from={from}&limit=1000", HttpCompletionOption.ResponseHeadersRead, Ct);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(Ct);
            using var page = await JsonDocument.ParseAsync(body, cancellationToken: Ct);
            var ops = page.RootElement.GetProperty("ops");
            count += ops.GetArrayLength();
            from = ops[ops.GetArrayLength() - 1].GetProperty("version").GetInt64();
            if (from >= page.RootElement.GetProperty("version").GetInt64())
            {
                return count;
            }
        }
    }

    private static async Task ReadUntilAckAsync(ClientWebSocket socket, int seq)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, Ct);
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            result.MessageType.ShouldNotBe(WebSocketMessageType.Close, $"closed: {socket.CloseStatus} {socket.CloseStatusDescription}");
            var root = JsonDocument.Parse(message.ToArray()).RootElement;
            var type = root.GetProperty("type").GetString();
            type.ShouldNotBe("error", root.ToString());
            if (type == "ack" && root.GetProperty("seq").GetInt64() == seq)
            {
                return;
            }
        }
    }

    private static async Task WaitReadyAsync(HttpClient http, Process node)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            node.HasExited.ShouldBeFalse("the node exited at start-up");
            try
            {
                if ((await http.GetAsync("/readyz", Ct)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, Ct);
        }

        throw new ShouldAssertException("the node never became ready");
    }

    private static async Task<string> RunAsync(Dictionary<string, string> environment, params string[] args)
    {
        using var process = Start(environment, args);
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        process.ExitCode.ShouldBe(0, output + await process.StandardError.ReadToEndAsync(Ct));
        return output;
    }

    private static Process Start(Dictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        info.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        if (args.Length == 0)
        {
            // A serving node's logs are not read: drain them so it never blocks on a full pipe.
            _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
            _ = process.StandardError.BaseStream.CopyToAsync(Stream.Null);
        }

        return process;
    }

    /// <summary>The process's resident set (VmRSS) read every 50 ms; the highest seen.</summary>
    private sealed class RssSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public RssSampler(int pid) => _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                    if (line is not null)
                    {
                        var kib = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
                        Peak = Math.Max(Peak, kib * 1024);
                    }
                }
                catch (IOException)
                {
                    return;
                }

                await Task.Delay(50);
            }
        });

        public long Peak { get; private set; }

        public void Dispose()
        {
            _stop.Cancel();
            _loop.Wait();
        }
    }
}
