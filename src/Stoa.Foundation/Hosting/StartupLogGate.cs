using Microsoft.Extensions.Logging;

namespace Stoa.Foundation.Hosting;

/// <summary>
/// Keeps the host's own "Hosting failed to start" error (with its stack trace) out of the log while the caller of
/// <see cref="StartAsync"/> reports the failure itself: in one line naming the setting when the operator can fix it,
/// with the stack trace when it is a bug. Outside that call (a background service failing later) the host's
/// errors are logged as usual.
/// </summary>
public sealed class StartupLogGate
{
    private volatile bool _starting;

    /// <summary>
    /// Installs the gate as the rule for the host's category. A rule replaces the configured level of the categories it
    /// names, so it states one: that category logs lifecycle steps at Debug, which nobody wants, and failures above.
    /// </summary>
    public void AddTo(ILoggingBuilder logging) =>
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level => level >= LogLevel.Warning && !(_starting && level >= LogLevel.Error));

    public async Task StartAsync(Microsoft.Extensions.Hosting.IHost host, CancellationToken cancellationToken)
    {
        _starting = true;
        try
        {
            await host.StartAsync(cancellationToken);
        }
        finally
        {
            _starting = false;
        }
    }
}
