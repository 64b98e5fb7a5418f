using Stoa.Redis.Cluster;
using Stoa.Redis.Protocol;

namespace Stoa.Redis.Tests.Cluster;

public sealed class ClusterMapTests
{
    private static readonly RedisEndpoint s_source = new("10.0.0.9", 7000);

    private static RespValue S(string text) => RespValue.BulkString(text);

    private static RespValue N(long value) => RespValue.FromInteger(value);

    private static RespValue Map(params RespValue[] pairs) => RespValue.FromAggregate(RespType.Map, pairs);

    private static RespValue Array(params RespValue[] items) => RespValue.FromAggregate(RespType.Array, items);

    private static RespValue Node(string role, string health, string endpoint, long port, long? tlsPort = null)
    {
        var fields = new List<RespValue> { S("id"), S(Guid.NewGuid().ToString("N")), S("port"), N(port) };
        if (tlsPort is { } tls)
        {
            fields.AddRange([S("tls-port"), N(tls)]);
        }

        fields.AddRange([S("ip"), S("10.0.0.1"), S("endpoint"), S(endpoint), S("role"), S(role), S("replication-offset"), N(0), S("health"), S(health)]);
        return Map([.. fields]);
    }

    [Fact]
    public void Shards_give_each_slot_its_online_primary()
    {
        var reply = Array(
            Map(S("slots"), Array(N(0), N(5460), N(10000), N(10000)), S("nodes"), Array(
                Node("replica", "online", "r1.example", 7003),
                Node("master", "online", "p1.example", 7000))),
            Map(S("slots"), Array(N(5461), N(9999), N(10001), N(16383)), S("nodes"), Array(
                Node("master", "fail", "old.example", 7001),
                Node("master", "online", "p2.example", 7004))),
            Map(S("slots"), Array(), S("nodes"), Array(Node("master", "online", "spare.example", 7009))));

        var map = ClusterMap.FromShards(reply, s_source, useTls: false);

        map.OwnerOf(0).ShouldBe(new RedisEndpoint("p1.example", 7000));
        map.OwnerOf(5460).ShouldBe(new RedisEndpoint("p1.example", 7000));
        map.OwnerOf(10000).ShouldBe(new RedisEndpoint("p1.example", 7000));
        map.OwnerOf(5461).ShouldBe(new RedisEndpoint("p2.example", 7004));
        map.OwnerOf(16383).ShouldBe(new RedisEndpoint("p2.example", 7004));
        map.Primaries.ShouldBe([new RedisEndpoint("p1.example", 7000), new RedisEndpoint("p2.example", 7004)], ignoreOrder: true);
    }

    [Fact]
    public void Shards_in_resp2_form_with_unknown_endpoints_and_tls_ports()
    {
        // RESP2 sends maps as flat arrays; "?" (unknown endpoint) falls back to the ip, an empty ip to the node asked.
        var node = Array(S("id"), S("x"), S("port"), N(7000), S("tls-port"), N(8000), S("ip"), S(""), S("endpoint"), S("?"), S("role"), S("master"), S("health"), S("online"));
        var reply = Array(Array(S("slots"), Array(N(0), N(16383)), S("nodes"), Array(node)));

        ClusterMap.FromShards(reply, s_source, useTls: false).OwnerOf(42).ShouldBe(new RedisEndpoint("10.0.0.9", 7000));
        ClusterMap.FromShards(reply, s_source, useTls: true).OwnerOf(42).ShouldBe(new RedisEndpoint("10.0.0.9", 8000));
    }

    [Fact]
    public void Slots_reply_takes_the_first_node_of_each_range()
    {
        var reply = Array(
            Array(N(0), N(8191), Array(S("p1.example"), N(7000), S("id1")), Array(S("r1.example"), N(7003), S("id4"))),
            Array(N(8192), N(16383), Array(S(""), N(7001), S("id2"))));

        var map = ClusterMap.FromSlots(reply, s_source);

        map.OwnerOf(8191).ShouldBe(new RedisEndpoint("p1.example", 7000));
        map.OwnerOf(8192).ShouldBe(new RedisEndpoint("10.0.0.9", 7001));
    }

    [Fact]
    public void Uncovered_slots_have_no_owner_and_a_moved_patches_one_slot()
    {
        var map = ClusterMap.FromSlots(Array(Array(N(0), N(99), Array(S("a"), N(1)))), s_source);
        map.OwnerOf(100).ShouldBeNull();
        map.Patch(100, new RedisEndpoint("b", 2));
        map.OwnerOf(100).ShouldBe(new RedisEndpoint("b", 2));
        map.OwnerOf(99).ShouldBe(new RedisEndpoint("a", 1));
        map.Primaries.Count.ShouldBe(2);
    }

    public static TheoryData<string, RespValue> Malformed => new()
    {
        { "not an array", S("OK") },
        { "a shard that is a string", Array(S("x")) },
        { "slots that are not numbers", Array(Map(S("slots"), Array(S("a"), S("b")), S("nodes"), Array(Node("master", "online", "h", 1)))) },
        { "a range past the last slot", Array(Map(S("slots"), Array(N(0), N(16384)), S("nodes"), Array(Node("master", "online", "h", 1)))) },
        { "a reversed range", Array(Map(S("slots"), Array(N(10), N(5)), S("nodes"), Array(Node("master", "online", "h", 1)))) },
        { "slots without a primary", Array(Map(S("slots"), Array(N(0), N(5)), S("nodes"), Array(Node("replica", "online", "h", 1)))) },
        { "a node that is not a map", Array(Map(S("slots"), Array(N(0), N(5)), S("nodes"), Array(N(3)))) },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_map_is_a_protocol_error(string what, RespValue reply)
    {
        Should.Throw<RedisProtocolException>(() => ClusterMap.FromShards(reply, s_source, useTls: false), what);
    }

    [Theory]
    [InlineData("MOVED 3999 127.0.0.1:6381", "Moved", 3999, "127.0.0.1", 6381)]
    [InlineData("ASK 1 [::1]:7000", "Ask", 1, "::1", 7000)]
    [InlineData("ASK 16383 ::1:7000", "Ask", 16383, "::1", 7000)]
    [InlineData("MOVED 12 :7002", "Moved", 12, "10.0.0.9", 7002)]
    [InlineData("MOVED 12 ?:7002", "Moved", 12, "10.0.0.9", 7002)]
    [InlineData("TRYAGAIN Multiple keys request during rehashing of slot", "TryAgain", -1, "10.0.0.9", 7000)]
    public void Redirects_are_parsed(string error, string kind, int slot, string host, int port)
    {
        ClusterRedirect.TryParse(System.Text.Encoding.UTF8.GetBytes(error), s_source, out var redirect).ShouldBeTrue();
        redirect.ShouldBe(new ClusterRedirect(Enum.Parse<RedirectKind>(kind), slot, new RedisEndpoint(host, port)));
    }

    [Theory]
    [InlineData("ERR unknown command")]
    [InlineData("MOVED")]
    [InlineData("MOVED 16384 h:1")]
    [InlineData("MOVED -1 h:1")]
    [InlineData("MOVED 1 h")]
    [InlineData("MOVED 1 h:0")]
    [InlineData("MOVED 1 h:99999")]
    [InlineData("MOVED x h:1")]
    [InlineData("ASK 1 h:1x")]
    public void Other_errors_are_not_redirects(string error)
    {
        ClusterRedirect.TryParse(System.Text.Encoding.UTF8.GetBytes(error), s_source, out _).ShouldBeFalse();
    }
}
