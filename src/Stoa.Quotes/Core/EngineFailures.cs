using System.Net.Sockets;
using Stoa.Foundation.Engine;

namespace Stoa.Quotes.Core;

/// <summary>Tells "the engine did not answer" (worth a 503 and a retry) from bugs (a 500).</summary>
internal static class EngineFailures
{
    public static bool IsUnavailable(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is IOException or SocketException or TimeoutException)
            {
                return true;
            }
        }

        return EngineFailure.IsUnreachable(ex);
    }
}
