namespace Stoa.Redis.Tests;

public sealed class RedisOptionsTests
{
    [Fact]
    public void Parses_a_full_url()
    {
        var options = RedisOptions.Parse("rediss://alice:p%40ss%3Aword@cache.example:6380/4?name=stoa-node1&timeout=250&connect_timeout=1500");
        options.UseTls.ShouldBeTrue();
        options.User.ShouldBe("alice");
        options.Password.ShouldBe("p@ss:word");
        options.Host.ShouldBe("cache.example");
        options.Port.ShouldBe(6380);
        options.Database.ShouldBe(4);
        options.ClientName.ShouldBe("stoa-node1");
        options.CommandTimeout.ShouldBe(TimeSpan.FromMilliseconds(250));
        options.ConnectTimeout.ShouldBe(TimeSpan.FromMilliseconds(1500));
        options.ToString().ShouldNotContain("p@ss");
    }

    [Theory]
    [InlineData("redis://localhost", "localhost", 6379, null, null, 0)]
    [InlineData("redis://:secret@10.0.0.1:7000", "10.0.0.1", 7000, null, "secret", 0)]
    [InlineData("redis://secret@host/2", "host", 6379, null, "secret", 2)]
    [InlineData("redis://bob:@host?db=9", "host", 6379, "bob", null, 9)]
    [InlineData("redis://[::1]:6390", "::1", 6390, null, null, 0)]
    public void Parses_common_forms(string url, string host, int port, string? user, string? password, int db)
    {
        var options = RedisOptions.Parse(url);
        options.UseTls.ShouldBeFalse();
        options.Host.ShouldBe(host);
        options.Port.ShouldBe(port);
        options.User.ShouldBe(user);
        options.Password.ShouldBe(password);
        options.Database.ShouldBe(db);
    }

    [Fact]
    public void Parses_a_cluster_url_with_several_seeds()
    {
        var options = RedisOptions.Parse("rediss://alice:p%40ss@node1:7000,10.0.0.2:7001,[::1],node4?cluster=true&timeout=250");
        options.Cluster.ShouldBeTrue();
        options.UseTls.ShouldBeTrue();
        options.User.ShouldBe("alice");
        options.Password.ShouldBe("p@ss");
        options.Host.ShouldBe("node1");
        options.Port.ShouldBe(7000);
        options.Seeds.ShouldBe([new RedisEndpoint("10.0.0.2", 7001), new RedisEndpoint("::1", 6379), new RedisEndpoint("node4", 6379)]);
        options.CommandTimeout.ShouldBe(TimeSpan.FromMilliseconds(250));
        options.ToString().ShouldBe("rediss://alice@node1:7000,10.0.0.2:7001,[::1]:6379,node4:6379?cluster=true");
    }

    [Theory]
    [InlineData("redis://node1:7000?cluster=true", true)]
    [InlineData("redis://node1:7000?cluster=1", true)]
    [InlineData("redis://node1:7000?cluster=false", false)]
    [InlineData("redis://node1:7000", false)]
    public void One_seed_is_enough_for_a_cluster(string url, bool cluster)
    {
        var options = RedisOptions.Parse(url);
        options.Cluster.ShouldBe(cluster);
        options.Seeds.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("http://host")]
    [InlineData("host:6379")]
    [InlineData("redis://host/x")]
    [InlineData("redis://host?bogus=1")]
    [InlineData("redis://host?timeout=-5")]
    [InlineData("redis://a:1,b:2")]
    [InlineData("redis://a:1,,b:2?cluster=true")]
    [InlineData("redis://a:1,b:x?cluster=true")]
    [InlineData("redis://a:1/2?cluster=true")]
    [InlineData("redis://a:1?cluster=maybe")]
    public void Rejects_malformed_urls(string url)
    {
        Should.Throw<FormatException>(() => RedisOptions.Parse(url));
    }
}
