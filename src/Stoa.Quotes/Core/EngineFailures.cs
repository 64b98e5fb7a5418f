using System.Net.Sockets;

namespace Stoa.Quotes.Core;

/// <summary>Tells "the engine did not answer" (worth a 503 and a retry) from bugs (a 500).</summary>
internal static class EngineFailures
{
    public static bool IsUnavailable(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            // The Redis client's exceptions are matched by name: modules do not reference the client library.
            if (e is IOException or SocketException or TimeoutException
                || e.GetType().FullName is "Stoa.Redis.RedisConnectionException" or "Stoa.Redis.RedisTimeoutException")
            {
                return true;
            }
        }

        return false;
    }
}
