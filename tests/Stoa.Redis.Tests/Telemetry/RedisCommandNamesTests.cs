using Stoa.Redis.Connection;
using Stoa.Redis.Telemetry;

namespace Stoa.Redis.Tests.Telemetry;

/// <summary>Span and metric names read off the bytes sent: the command, not the plumbing in front of it, from a closed set.</summary>
public sealed class RedisCommandNamesTests
{
    [Fact]
    public void A_command_is_named_in_upper_case_and_the_same_string_each_time()
    {
        var first = RedisCommandNames.Of(Operation(["get", "k"]));
        first.ShouldBe("GET");
        RedisCommandNames.Of(Operation(["GET", "other"])).ShouldBeSameAs(first);
    }

    [Fact]
    public void A_block_is_named_by_its_first_command_after_asking_and_client()
    {
        RedisCommandNames.Of(Operation(["CLIENT", "CACHING", "YES"], ["GET", "k"])).ShouldBe("GET");
        RedisCommandNames.Of(Operation(["ASKING"], ["EVALSHA", "sha", "1", "k"])).ShouldBe("EVALSHA");
        RedisCommandNames.Of(Operation(["MULTI"], ["SET", "k", "v"], ["EXEC"])).ShouldBe("MULTI");
    }

    [Theory]
    [InlineData("get key")]
    [InlineData("GÉT")]
    [InlineData("AVERYLONGNAMETHATNOREDISCOMMANDHASATALL")]
    public void Anything_that_is_no_command_name_is_other(string name)
    {
        RedisCommandNames.Of(Operation([name])).ShouldBe(RedisCommandNames.Other);
    }

    private static RedisOperation Operation(params string[][] commands)
    {
        var operation = new RedisOperation(commands.Length);
        foreach (var command in commands)
        {
            operation.Command(command.Length);
            foreach (var part in command)
            {
                operation.Arg(part);
            }
        }

        return operation;
    }
}
