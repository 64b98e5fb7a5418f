using Stoa.Foundation.Engine;
using Stoa.Redis;

namespace Stoa.Foundation.Tests.Engine;

public sealed class EngineKeysTests
{
    private static readonly Guid s_app = Guid.Parse("0b5e2c6a-8a0e-4f2b-9a43-6f1f2f6c7d11");

    [Fact]
    public void Parts_cannot_collide_by_their_separators()
    {
        EngineKeys.For(s_app, "m", "a:b", "c").ShouldNotBe(EngineKeys.For(s_app, "m", "a", "b:c"));
        EngineKeys.For(s_app, "m", "a%3Ab").ShouldNotBe(EngineKeys.For(s_app, "m", "a:b"));
    }

    [Fact]
    public void An_id_cannot_choose_a_keys_hash_slot()
    {
        // A user id written as a hash tag would otherwise put every key built from it (of any app) in one slot.
        var key = EngineKeys.For(s_app, "follows", "followers", "{x}");
        key.ShouldNotContain("{");
        key.ShouldNotContain("}");
        RedisHashSlot.Of(EngineKeys.Grouped(s_app, "follows", "{x}", "followers"))
            .ShouldNotBe(RedisHashSlot.Of(EngineKeys.Grouped(Guid.NewGuid(), "follows", "{x}", "followers")));
    }

    [Fact]
    public void A_groups_keys_share_a_slot_and_groups_spread_over_the_slots()
    {
        var slots = new HashSet<int>();
        for (var i = 0; i < 200; i++)
        {
            var user = $"user{i}";
            var set = RedisHashSlot.Of(EngineKeys.Grouped(s_app, "follows", user, "followers"));
            RedisHashSlot.Of(EngineKeys.Grouped(s_app, "follows", user, "followers-versions")).ShouldBe(set);
            RedisHashSlot.Of(EngineKeys.Grouped(s_app, "follows", user, "following", "x}{y")).ShouldBe(set);
            slots.Add(set);
        }

        // 200 groups over 16,384 slots: nearly all distinct (the three shards of a cluster each get a share).
        slots.Count.ShouldBeGreaterThan(190);
    }
}
