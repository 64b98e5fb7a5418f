using Stoa.Testing;

namespace Stoa.Redis.Tests;

internal static class RedisFixture
{
    /// <summary>Options for the shared server with a short connect timeout (tests should fail, not hang).</summary>
    public static async Task<RedisOptions> SharedOptionsAsync()
    {
        var server = await RedisServer.Shared;
        var options = RedisOptions.Parse(server.Url);
        options.CommandTimeout = TimeSpan.FromSeconds(10);
        return options;
    }

    public static async Task<RedisClient> ConnectSharedAsync()
        => await RedisClient.ConnectAsync(await SharedOptionsAsync(), TestContext.Current.CancellationToken);

    /// <summary>Polls until the condition holds; generous bound, checks behaviour not speed.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string because, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new ShouldAssertException($"Timed out waiting until {because}.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Polls until <paramref name="attempt"/> returns true without a Redis failure (a client finding its way
    /// back after a restart or a failover: failures before that are expected).</summary>
    public static Task EventuallySucceedsAsync(Func<Task<bool>> attempt, string because) => EventuallyAsync(async () =>
    {
        try
        {
            return await attempt();
        }
        catch (RedisException)
        {
            return false;
        }
    }, because, timeoutSeconds: 30);
}
