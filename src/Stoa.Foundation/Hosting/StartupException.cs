namespace Stoa.Foundation.Hosting;

/// <summary>
/// Something the node needs at start-up is not there: a listen address taken, a store or Redis that does not answer.
/// The message is one line that names the setting to look at and the cause, printed instead of a stack trace (exit
/// code 2, as for an invalid setting).
/// </summary>
public sealed class StartupException(string setting, string cause, Exception? innerException = null)
    : Exception($"{setting}: {cause}", innerException)
{
    public string Setting { get; } = setting;
}
