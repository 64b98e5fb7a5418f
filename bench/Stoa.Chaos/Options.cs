using System.Globalization;

namespace Stoa.Chaos;

internal sealed record Options(Uri Base, string CredentialsFile, int Seconds, double Rate, string? Output, string? PidsFile, int? PagePort)
{
    public static Options Parse(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        string? Get(string name) => values.TryGetValue(name, out var v) ? v : null;
        return new Options(
            new Uri(Get("base") ?? "http://127.0.0.1:8080"),
            Get("credentials") ?? throw new ArgumentException("--credentials FILE is required"),
            int.Parse(Get("seconds") ?? "60", CultureInfo.InvariantCulture),
            double.Parse(Get("rate") ?? "100", CultureInfo.InvariantCulture),
            Get("output"),
            Get("pids-file"),
            Get("page-port") is { } page ? int.Parse(page, CultureInfo.InvariantCulture) : null);
    }
}
