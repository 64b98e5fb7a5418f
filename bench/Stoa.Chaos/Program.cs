using System.Net;
using Stoa.Chaos;

// stoa-chaos load  --base URL --credentials FILE --seconds 60 --rate 200 [--output FILE]
// stoa-chaos chaos --base URL --credentials FILE --seconds N [--pids-file FILE]
if (args.Length == 0 || args[0] is not ("load" or "chaos"))
{
    Console.Error.WriteLine("usage: Stoa.Chaos load|chaos --base http://127.0.0.1:8080 --credentials FILE --seconds N [--rate R] [--output FILE] [--pids-file FILE]");
    return 2;
}

var options = Options.Parse(args.AsSpan(1));
if (options.Base.Host != "127.0.0.1")
{
    Console.Error.WriteLine("only 127.0.0.1 targets");
    return 2;
}

using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromSeconds(30) };
using var http = new HttpClient(handler) { BaseAddress = options.Base, DefaultRequestVersion = HttpVersion.Version11 };
var credentials = Credentials.Read(options.CredentialsFile);
var stats = new Stats();
using var api = new StoaApi(http, credentials, stats);
return args[0] == "load"
    ? await LoadRun.RunAsync(api, stats, options.Rate, options.Seconds, options.Output, cancel.Token)
    : await ChaosRun.RunAsync(api, options, cancel.Token);
