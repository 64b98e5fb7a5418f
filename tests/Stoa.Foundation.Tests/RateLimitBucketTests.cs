using System.Net;
using Stoa.Foundation.Engine;
using Stoa.Foundation.RateLimiting;

namespace Stoa.Foundation.Tests;

public sealed class RateLimitBucketTests
{
    [Fact]
    public void A_client_churning_through_new_keys_evicts_idle_buckets_not_the_busy_one_it_is_limited_by()
    {
        var time = new ManualTime();
        var buckets = new LocalRateLimitBuckets(time);
        var policy = new RateLimitPolicy(Capacity: 3, TokensPerSecond: 0.001);
        for (var i = 0; i < 3; i++)
        {
            buckets.TryTake("busy", policy, 1).Allowed.ShouldBeTrue();
        }

        // The old table forgot everything at 100,000 buckets, handing "busy" a full bucket again.
        for (var i = 0; i < LocalRateLimitBuckets.MaxBuckets + 20_000; i++)
        {
            time.Advance(TimeSpan.FromTicks(1));
            buckets.TryTake($"churn-{i}", policy, 1);
            if (i % 1000 == 0)
            {
                buckets.TryTake("busy", policy, 1).Allowed.ShouldBeFalse($"after {i} other keys");
            }
        }

        buckets.Count.ShouldBeLessThanOrEqualTo(LocalRateLimitBuckets.MaxBuckets);
        buckets.TryTake("busy", policy, 1).Allowed.ShouldBeFalse();
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:db8:1:2::/64")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    public void A_client_is_its_ipv4_address_or_its_ipv6_64(string address, string bucket)
    {
        ClientAddress.BucketOf(IPAddress.Parse(address)).ShouldBe(bucket);
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}
