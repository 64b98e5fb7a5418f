using System.Globalization;
using Stoa.Comments.Bench;

// Usage:
//   Stoa.Comments.Bench token --secret SECRET --user ID [--hours 2]
//   Stoa.Comments.Bench votes --url http://127.0.0.1:8080 --key pk_… --secret SECRET [--comment ID] [--voters 200]
//       [--warmup 3] [--seconds 10] [--metrics http://127.0.0.1:8081,http://127.0.0.1:8082]
// `votes` without --comment posts a new comment (as bench-author) and votes on it.
if (args.Length == 0 || args[0] is not ("token" or "votes"))
{
    Console.Error.WriteLine("usage: Stoa.Comments.Bench token|votes [options] (see Program.cs)");
    return 2;
}

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

string Required(string name) => options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required");
double Number(string name, double fallback) => options.TryGetValue(name, out var value) ? double.Parse(value, CultureInfo.InvariantCulture) : fallback;

if (args[0] == "token")
{
    Console.WriteLine(Tokens.User(Required("secret"), Required("user"), TimeSpan.FromHours(Number("hours", 2))));
    return 0;
}

return await VoteLoad.RunAsync(new VoteOptions(
    new Uri(Required("url")),
    Required("key"),
    Required("secret"),
    options.TryGetValue("comment", out var comment) ? Guid.Parse(comment) : null,
    (int)Number("voters", 200),
    TimeSpan.FromSeconds(Number("warmup", 3)),
    TimeSpan.FromSeconds(Number("seconds", 10)),
    options.TryGetValue("metrics", out var nodes) ? [.. nodes.Split(',').Select(n => new Uri(n))] : []), Console.Out);
