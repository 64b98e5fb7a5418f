using System.Net.Sockets;
using Stoa.Foundation.Engine;

namespace Stoa.Quotes.Core;

/// <summary>Tells "the engine did not answer" (worth a 503 and a retry) from bugs (a 500).</summary>
internal static class EngineFailures
{
    /// <summary>A Redis connection or timeout failure, or a raw I/O, socket or timeout error, anywhere in the chain.</summary>
    public static bool IsUnavailable(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is IOException or SocketException or TimeoutException || EngineFailure.IsUnreachableItself(e))
            {
                return true;
            }
        }

        return false;
    }
}
