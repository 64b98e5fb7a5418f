namespace Stoa.Redis.Connection;

/// <summary>
/// Starts a loop that outlives its caller without the caller's execution context: a connection or a subscription is
/// often opened inside a request, whose current span (and other async-locals) would otherwise stay "current" in the
/// loop for the life of the process, and become the parent of whatever the loop's callbacks start.
/// </summary>
internal static class BackgroundLoop
{
    public static Task Start(Func<Task> loop)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(loop);
        }
    }
}
