using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Stoa.Server.Tests.Deploy.RoutedNodes;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// deploy/haproxy.cfg's routing of votes and likes, with a real haproxy in front of three real nodes: a comment's
/// votes and likes all land on one node, which commits them in batches (docs/comments.md, "Across nodes"), however
/// its id is written; the comment's other requests stay round robin; and comments spread over the nodes.
/// </summary>
public sealed class CommentRoutingTests
{
    private const int Seed = 270027;

    [Fact]
    public async Task Votes_and_likes_on_one_comment_land_on_one_node_while_its_reads_are_round_robin()
    {
        await using var nodes = await RoutedNodes.StartAsync();
        using var author = nodes.User("author");
        using var voter = nodes.User("voter");
        var ct = TestContext.Current.CancellationToken;
        using var created = await author.PostAsJsonAsync($"/v1/threads/routing-{Guid.NewGuid():N}/comments", new { body = "hot" }, ct);
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync(ct));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();

        await nodes.WithAllNodesUpAsync(async () =>
        {
            var seen = new List<string>();
            for (var round = 0; round < 4; round++)
            {
                // A fresh client every other round as well, so that no kept-alive connection can explain the affinity.
                using var fresh = nodes.User("voter");
                var client = round % 2 == 0 ? voter : fresh;
                seen.Add(await NodeOfAsync(await client.PutAsJsonAsync($"/v1/comments/{id}/vote", new { value = round % 2 == 0 ? 1 : -1 }, ct)));
                seen.Add(await NodeOfAsync(await client.PutAsync($"/v1/comments/{id}/like", null, ct)));
                seen.Add(await NodeOfAsync(await client.DeleteAsync($"/v1/comments/{id}/like", ct)));
            }

            // The same id written otherwise (upper case, no hyphens) is the same comment and the same node.
            seen.Add(await NodeOfAsync(await voter.PutAsJsonAsync($"/v1/comments/{id.ToString().ToUpperInvariant()}/vote", new { value = 0 }, ct)));
            seen.Add(await NodeOfAsync(await voter.PutAsync($"/v1/comments/{id:N}/like", null, ct)));
            seen.Distinct().ShouldHaveSingleItem($"every vote and like on comment {id} on one node: {string.Join(", ", seen)}");

            var reads = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < 30 && reads.Count < 3; i++)
            {
                reads.Add(await NodeOfAsync(await voter.GetAsync($"/v1/comments/{id}", ct)));
            }

            reads.Count.ShouldBe(3, "GET /v1/comments/{id} is round robin over the three nodes");
        });
    }

    [Fact]
    public async Task Comments_spread_over_all_three_nodes()
    {
        await using var nodes = await RoutedNodes.StartAsync();
        using var voter = nodes.User("voter");
        await nodes.WithAllNodesUpAsync(async () =>
        {
            var owners = await OwnersAsync(voter, RandomIds(Seed, 60));
            var perNode = owners.GroupBy(o => o.Value).ToDictionary(g => g.Key, g => g.Count());
            perNode.Count.ShouldBe(3, $"seed {Seed}: 60 comments on {string.Join(", ", perNode.Select(p => $"{p.Key} {p.Value}"))}");
            // Asked again in the reverse order (round robin would hand them out otherwise), each still goes to its node.
            (await OwnersAsync(voter, owners.Keys.Reverse())).ShouldBe(owners, ignoreOrder: true, $"seed {Seed}");
        });
    }

    /// <summary>Ids no comment has: the node that answers a vote on one with 404 is the one that would take its votes.</summary>
    private static async Task<Dictionary<Guid, string>> OwnersAsync(HttpClient http, IEnumerable<Guid> ids)
    {
        var owners = new Dictionary<Guid, string>();
        foreach (var id in ids)
        {
            owners[id] = await NodeOfAsync(await http.PutAsJsonAsync($"/v1/comments/{id}/vote", new { value = 1 }, TestContext.Current.CancellationToken),
                HttpStatusCode.NotFound);
        }

        return owners;
    }
}
