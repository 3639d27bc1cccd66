using System.Globalization;
using System.Text.Json;
using Likes.Bench.Load;
using Likes.Bench.Workload;

namespace Likes.Bench.Checks;

/// <summary>
/// Spot-checks feed-state answers through an edge against the generated graph, which knows every true
/// count and liked-state: pages of random users, active (warm timeline) and inactive (no timeline: the
/// edge must fall back to PostgreSQL) alike.
/// </summary>
public static class FeedStateAnswers
{
    public static async Task<AnswersReport> CheckAsync(EdgeClient edge, LikeGraph graph, FeedPages pages, int count, CancellationToken ct)
    {
        var random = new Random(7);
        long facts = 0, wrong = 0, degraded = 0;
        for (var i = 0; i < count; i++)
        {
            var page = pages.For(random.Next(graph.Shape.Users), random);
            var (status, body) = await edge.GetAsync(page.UserId, page.Path, ct);
            facts += 2L * page.Contents.Length;
            if (status != 200)
            {
                wrong += 2L * page.Contents.Length;
                continue;
            }

            using var json = JsonDocument.Parse(body);
            degraded += json.RootElement.TryGetProperty("degraded", out _) ? 1 : 0;
            var items = json.RootElement.GetProperty("items");
            for (var k = 0; k < page.Contents.Length; k++)
            {
                var item = items[k];
                var content = page.Contents[k];
                var idRight = item.GetProperty("contentId").GetString() == LikeGraph.ContentId(content).ToString(CultureInfo.InvariantCulture);
                var countRight = item.GetProperty("count") is { ValueKind: JsonValueKind.Number } c && c.GetInt64() == graph.CountOf(content);
                var likedRight = item.GetProperty("liked") is { ValueKind: JsonValueKind.True or JsonValueKind.False } l && l.GetBoolean() == graph.Liked(page.User, content);
                wrong += (idRight && countRight ? 0 : 1) + (idRight && likedRight ? 0 : 1);
            }
        }

        return new AnswersReport(count, facts, wrong, degraded);
    }
}

/// <param name="Facts">Counts and liked-states checked (two per id).</param>
/// <param name="Wrong">Facts that differ from the graph, or are missing (null, an error answer).</param>
/// <param name="Degraded">Pages answered with <c>"degraded": true</c>.</param>
public sealed record AnswersReport(int Pages, long Facts, long Wrong, long Degraded);
