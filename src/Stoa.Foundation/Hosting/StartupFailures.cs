namespace Stoa.Foundation.Hosting;

/// <summary>
/// Turns the failures an operator can fix at start-up into one line that names the setting and the cause: what
/// <see cref="StartupException"/> already says, and Kestrel's refusal to bind a listen address (a port another process
/// holds, a privileged port). Anything else is a bug, whose stack trace is wanted.
/// </summary>
public static class StartupFailures
{
    private const string BindFailure = "Failed to bind to address ";

    public static string? Describe(Exception exception)
    {
        foreach (var ex in Chain(exception))
        {
            switch (ex)
            {
                case StartupException startup:
                    return startup.Message;
                case InvalidConfigurationException configuration:
                    return configuration.Message;
                case IOException io when io.Message.StartsWith(BindFailure, StringComparison.Ordinal):
                    return Bind(io);
            }
        }

        return null;
    }

    private static string Bind(IOException io)
    {
        var rest = io.Message[BindFailure.Length..];
        var end = rest.IndexOf(": ", StringComparison.Ordinal);
        var address = (end > 0 ? rest[..end] : rest).TrimEnd('.');
        if (io.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            return $"Stoa:Urls: cannot listen on {address}: another process is using that port; stop it, or choose another "
                + "port, e.g. --Stoa:Urls=http://localhost:8081 (Stoa__Urls in the environment).";
        }

        return $"Stoa:Urls: cannot listen on {address}: {StartupWait.Cause(io)}.";
    }

    private static IEnumerable<Exception> Chain(Exception exception)
    {
        for (Exception? ex = exception; ex is not null; ex = ex.InnerException)
        {
            yield return ex;
            if (ex is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                {
                    yield return inner;
                }

                yield break;
            }
        }
    }
}
