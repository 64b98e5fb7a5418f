using System.Globalization;
using System.Text;
using Stoa.Testing;

namespace Stoa.Redis.Tests.Cluster;

public sealed class HashSlotTests
{
    [Fact]
    public void Crc16_is_xmodem_as_the_cluster_specification_gives_it()
    {
        // The specification's check value: CRC16/XMODEM of "123456789" is 0x31C3.
        RedisHashSlot.Crc16("123456789"u8).ShouldBe((ushort)0x31C3);
        RedisHashSlot.Of("123456789").ShouldBe(0x31C3 & 16383);
    }

    [Theory]
    [InlineData("{user1000}.following", "user1000")]
    [InlineData("{user1000}.followers", "user1000")]
    [InlineData("foo{bar}{zap}", "bar")]
    [InlineData("foo{{bar}}zap", "{bar")]
    [InlineData("foo{}{bar}", "foo{}{bar}")]
    [InlineData("foo{bar", "foo{bar")]
    [InlineData("}{x}", "x")]
    public void A_non_empty_hash_tag_is_all_that_is_hashed(string key, string hashed)
    {
        RedisHashSlot.Of(key).ShouldBe(RedisHashSlot.Of(Encoding.UTF8.GetBytes(hashed)));
    }

    [Fact]
    public async Task Slots_agree_with_the_servers_CLUSTER_KEYSLOT()
    {
        var cluster = await RedisClusterServer.Shared;
        const int seed = 20261206;
        var random = new Random(seed);
        var keys = new List<string> { "", "a", "é", "日本語", "{}", "{", "}", "{a}{b}", "x{ü}y" };
        for (int i = 0; i < 40; i++)
        {
            var chars = new char[random.Next(1, 30)];
            for (int c = 0; c < chars.Length; c++)
            {
                // Printable ASCII with extra braces, and now and then a non-ASCII letter.
                chars[c] = random.Next(8) switch
                {
                    0 => '{',
                    1 => '}',
                    2 => (char)random.Next(0xC0, 0x17F),
                    _ => (char)random.Next(0x21, 0x7F),
                };
            }

            keys.Add(new string(chars));
        }

        foreach (var key in keys)
        {
            var server = int.Parse(await cluster.CliAsync(cluster.Ports[0], "CLUSTER", "KEYSLOT", key), CultureInfo.InvariantCulture);
            RedisHashSlot.Of(key).ShouldBe(server, $"key '{key}' (seed {seed})");
        }
    }
}
