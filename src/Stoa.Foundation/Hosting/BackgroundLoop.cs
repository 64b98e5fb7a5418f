namespace Stoa.Foundation.Hosting;

/// <summary>
/// Starts a loop that outlives its caller without the caller's execution context. A loop started while serving a
/// request (a document's relay opened by its first socket, a subscription's reader) would otherwise keep that request's
/// span current for as long as it runs, and make it the parent of every store or engine span the loop starts, long
/// after the request ended.
/// </summary>
public static class BackgroundLoop
{
    public static Task Start(Func<Task> loop)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(loop);
        }
    }
}
