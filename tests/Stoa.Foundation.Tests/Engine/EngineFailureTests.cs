using Stoa.Foundation.Engine;
using Stoa.Redis;

namespace Stoa.Foundation.Tests.Engine;

public sealed class EngineFailureTests
{
    [Theory]
    [InlineData("CLUSTERDOWN The cluster is down")]
    [InlineData("CLUSTERDOWN Hash slot not served")]
    public void A_cluster_without_a_server_for_the_slot_is_unreachable_so_the_client_gets_a_503(string reply)
    {
        // Between a primary's failure and its replica's promotion, commands on its slots answer CLUSTERDOWN; the
        // fault suite saw these turn into 500 internal_error before.
        var failure = new InvalidOperationException("the module's own wrapping", new RedisServerException(reply));
        EngineFailure.IsUnreachable(failure).ShouldBeTrue();
        EngineFailure.FindUnreachable(failure)!.Message.ShouldBe(reply);
    }

    [Theory]
    [InlineData("ERR unknown command 'NOPE'")]
    [InlineData("WRONGTYPE Operation against a key holding the wrong kind of value")]
    [InlineData("NOSCRIPT No matching script")]
    public void Other_server_errors_are_bugs_not_outages(string reply) =>
        EngineFailure.IsUnreachable(new RedisServerException(reply)).ShouldBeFalse();

    [Fact]
    public void Connection_and_timeout_failures_are_unreachable() =>
        new Exception[] { new RedisConnectionException("reset"), new RedisTimeoutException("slow") }
            .ShouldAllBe(e => EngineFailure.IsUnreachable(e));
}
