using static Stoa.Comments.Tests.CommentClient;

namespace Stoa.Comments.Tests;

/// <summary>
/// Four comments with hand-picked votes and replies, and each sort's expected order worked out by hand:
/// <code>
///        up down score replies  Wilson lower bound (z = 1.281551565545)   controversy
///   A     2   0    2      0     0.549                                     0 (no downvotes)
///   B     5   5    0      1     0.312                                     10^(5/5) = 10
///   C     4   1    3      3     0.514                                     5^(1/4) = 1.495
///   D     1   3   -2      2     0.078                                     4^(1/3) = 1.587
/// </code>
/// hot = sign·log10(|score|) + seconds/45000: C 0.477, A 0.301, B 0, D −0.301 (posted within seconds of each other,
/// so the time term cannot reorder them).
/// </summary>
public sealed class SortTests(SharedApps apps)
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Every_sort_lists_in_the_hand_computed_order_and_pages_by_keyset(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var author = tenant.User("author");
        var thread = NewThread();
        var a = await author.PostCommentAsync(thread, "A");
        var b = await author.PostCommentAsync(thread, "B");
        var c = await author.PostCommentAsync(thread, "C");
        var d = await author.PostCommentAsync(thread, "D");

        await VotesAsync(tenant, a.Id, up: 2, down: 0);
        await VotesAsync(tenant, b.Id, up: 5, down: 5);
        await VotesAsync(tenant, c.Id, up: 4, down: 1);
        await VotesAsync(tenant, d.Id, up: 1, down: 3);
        await author.PostCommentAsync(thread, "b1", b.Id);
        for (var i = 0; i < 3; i++)
        {
            await author.PostCommentAsync(thread, $"c{i}", c.Id);
        }

        for (var i = 0; i < 2; i++)
        {
            await author.PostCommentAsync(thread, $"d{i}", d.Id);
        }

        var expected = new Dictionary<string, string[]>
        {
            ["new"] = ["D", "C", "B", "A"],
            ["old"] = ["A", "B", "C", "D"],
            ["top"] = ["B", "C", "A", "D"],
            ["replies"] = ["C", "D", "B", "A"],
            ["best"] = ["A", "C", "B", "D"],
            ["hot"] = ["C", "A", "B", "D"],
            ["controversial"] = ["B", "D", "C", "A"],
        };

        foreach (var (sort, order) in expected)
        {
            var page = await author.ListAsync(thread, $"sort={sort}");
            page.Items.Select(i => i.Body).ShouldBe(order, $"sort={sort}");
            page.NextCursor.ShouldBeNull();

            // The same order one item per page, following cursors: no duplicate, no gap.
            var paged = new List<string>();
            string? cursor = null;
            do
            {
                var next = await author.ListAsync(thread, $"sort={sort}&limit=1" + (cursor is null ? "" : $"&cursor={cursor}"));
                paged.AddRange(next.Items.Select(i => i.Body!));
                cursor = next.NextCursor;
            }
            while (cursor is not null && paged.Count < 10);

            string.Join(",", paged).ShouldBe(string.Join(",", order), $"sort={sort} paged");
        }

        var top = (await author.ListAsync(thread, "sort=top")).Items;
        top.Select(i => (i.Upvotes, i.Downvotes, i.Score)).ShouldBe([(5L, 5L, 0L), (4L, 1L, 3L), (2L, 0L, 2L), (1L, 3L, -2L)]);
        top.Select(i => i.ReplyCount).ShouldBe([1L, 3L, 0L, 2L]);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Keyset_pages_of_a_stable_sort_cover_every_comment_once(string store)
    {
        var app = await apps.GetAsync(store);
        var tenant = await app.CreateTenantAsync();
        using var alice = tenant.User("alice");
        var thread = NewThread();
        var posted = new List<Guid>();
        for (var i = 0; i < 23; i++)
        {
            posted.Add((await alice.PostCommentAsync(thread, $"n{i}")).Id);
        }

        foreach (var sort in (string[])["new", "old", "best"])
        {
            var seen = new List<Guid>();
            string? cursor = null;
            var pages = 0;
            do
            {
                var page = await alice.ListAsync(thread, $"sort={sort}&limit=5" + (cursor is null ? "" : $"&cursor={cursor}"));
                page.Items.Count.ShouldBeLessThanOrEqualTo(5);
                seen.AddRange(page.Items.Select(i => i.Id));
                cursor = page.NextCursor;
                pages++;
            }
            while (cursor is not null);

            pages.ShouldBe(5);
            seen.Distinct().Count().ShouldBe(23);
            seen.ShouldBe(sort == "old" ? posted : sort == "new" ? Enumerable.Reverse(posted).ToList() : seen);
            seen.ShouldBeSubsetOf(posted);
        }
    }

    private static async Task VotesAsync(Stoa.Testing.TestTenant tenant, Guid id, int up, int down)
    {
        for (var i = 0; i < up + down; i++)
        {
            using var voter = tenant.User($"voter{i}");
            await voter.VoteAsync(id, i < up ? 1 : -1);
        }
    }
}
