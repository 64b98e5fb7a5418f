using System.Diagnostics;
using Stoa.Foundation.Telemetry;

namespace Stoa.Foundation.Sql;

/// <summary>One attempt of a store transaction as a span (null outside a trace): ends with the attempt.</summary>
internal readonly struct TransactionSpan(Activity? activity) : IDisposable
{
    public void Fail(Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("error.type", ErrorTypes.Of(error));
        activity.SetStatus(ActivityStatusCode.Error, error.Message);
    }

    public void Dispose() => activity?.Dispose();
}
