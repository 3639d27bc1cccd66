using System.Globalization;
using System.Text.Json;
using Dapper;
using Likes.Bench.Load;
using Npgsql;

namespace Likes.Bench.Checks;

/// <summary>
/// What users read, checked against what they were told: for every user who wrote, feed-state for each content
/// they wrote (is it liked as their last acknowledged write says, is the count PostgreSQL's COUNT(*)), and every
/// page of their my-likes (exactly their liked contents of the run, each once). Pairs whose outcome the client
/// cannot know (a later write failed or timed out) are left out. Rows, counts and counters are
/// <see cref="Exactness"/>'s; this is the other half of I7: the answers.
/// </summary>
public static class ReadAnswers
{
    /// <summary>feed-state takes at most this many ids a request.</summary>
    private const int PageIds = 100;

    private const int Parallel = 16;

    public static async Task<ReadsReport> CheckAsync(
        EdgeClient edge,
        NpgsqlDataSource postgres,
        IReadOnlyDictionary<(long User, long Content), bool> accepted,
        long fromContent,
        long toContent,
        IReadOnlySet<(long User, long Content)>? undetermined,
        CancellationToken ct)
    {
        undetermined ??= new HashSet<(long, long)>();
        var counts = await CountsAsync(postgres, fromContent, toContent);
        var byUser = accepted.Where(kv => !undetermined.Contains(kv.Key)).GroupBy(kv => kv.Key.User).ToList();
        var wrongLiked = 0L;
        var wrongCounts = 0L;
        var wrongPages = 0L;
        var errors = 0L;
        var degraded = 0L;
        var facts = 0L;
        var samples = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await System.Threading.Tasks.Parallel.ForEachAsync(byUser, new ParallelOptions { MaxDegreeOfParallelism = Parallel, CancellationToken = ct }, async (user, token) =>
        {
            foreach (var chunk in user.Chunk(PageIds))
            {
                var path = "/v1/feed-state?ids=" + string.Join(',', chunk.Select(kv => kv.Key.Content.ToString(CultureInfo.InvariantCulture)));
                var (status, body) = await edge.GetAsync(user.Key, path, token);
                Interlocked.Add(ref facts, 2L * chunk.Length);
                if (status != 200)
                {
                    Interlocked.Increment(ref errors);
                    Interlocked.Add(ref wrongLiked, chunk.Length);
                    continue;
                }

                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("degraded", out _))
                {
                    Interlocked.Increment(ref degraded);
                }

                var items = json.RootElement.GetProperty("items");
                for (var i = 0; i < chunk.Length; i++)
                {
                    var ((_, content), liked) = chunk[i];
                    var item = items[i];
                    if (item.GetProperty("liked") is not { ValueKind: JsonValueKind.True or JsonValueKind.False } l || l.GetBoolean() != liked)
                    {
                        Interlocked.Increment(ref wrongLiked);
                        if (samples.Count < 10)
                        {
                            samples.Enqueue($"user {user.Key} content {content}: liked {item.GetProperty("liked")}, told {(liked ? "liked" : "unliked")}");
                        }
                    }

                    if (item.GetProperty("count") is not { ValueKind: JsonValueKind.Number } c || c.GetInt64() != counts.GetValueOrDefault(content))
                    {
                        Interlocked.Increment(ref wrongCounts);
                    }
                }
            }

            var expected = user.Where(kv => kv.Value).Select(kv => kv.Key.Content).ToHashSet();
            var listed = await MyLikesAsync(edge, user.Key, token);
            var inRange = listed?.Where(c => c >= fromContent && c <= toContent && !undetermined.Contains((user.Key, c))).ToList();
            if (inRange is null || inRange.Count != expected.Count || !expected.SetEquals(inRange))
            {
                Interlocked.Increment(ref wrongPages);
                if (samples.Count < 10)
                {
                    samples.Enqueue(inRange is null
                        ? $"user {user.Key} my-likes: a page did not answer 200"
                        : $"user {user.Key} my-likes: {inRange.Count} listed, {expected.Count} liked; listed, not liked: [{string.Join(' ', inRange.Except(expected))}]; "
                          + $"liked, not listed: [{string.Join(' ', expected.Except(inRange))}]; listed twice: [{string.Join(' ', inRange.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key))}]");
                }
            }
        });

        return new ReadsReport(byUser.Count, facts, wrongLiked, wrongCounts, wrongPages, errors, degraded) { Samples = [.. samples] };
    }

    /// <summary>Every content id of the user's my-likes, following nextCursor to the end; null when a page failed.</summary>
    private static async Task<List<long>?> MyLikesAsync(EdgeClient edge, long user, CancellationToken ct)
    {
        var listed = new List<long>();
        string? cursor = null;
        do
        {
            var path = "/v1/users/me/likes?limit=100" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
            var (status, body) = await edge.GetAsync(user, path, ct);
            if (status != 200)
            {
                return null;
            }

            using var json = JsonDocument.Parse(body);
            foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
            {
                listed.Add(long.Parse(item.GetProperty("contentId").GetString()!, CultureInfo.InvariantCulture));
            }

            cursor = json.RootElement.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return listed;
    }

    private static async Task<Dictionary<long, long>> CountsAsync(NpgsqlDataSource postgres, long fromContent, long toContent)
    {
        await using var c = await postgres.OpenConnectionAsync();
        return (await c.QueryAsync<(long Content, long Count)>(
            "SELECT content_id, count(*) FROM likes WHERE content_id BETWEEN @fromContent AND @toContent GROUP BY content_id", new { fromContent, toContent }))
            .ToDictionary(r => r.Content, r => r.Count);
    }
}

/// <param name="Users">Users whose answers were read.</param>
/// <param name="Facts">Liked-states and counts checked in feed-state (two per pair).</param>
/// <param name="WrongLiked">feed-state answers whose <c>liked</c> is not what the user was told (or missing).</param>
/// <param name="WrongCounts">feed-state answers whose <c>count</c> is not PostgreSQL's COUNT(*).</param>
/// <param name="WrongMyLikes">Users whose my-likes pages do not list exactly their liked contents.</param>
/// <param name="ServerErrors">Read requests that did not answer 200.</param>
/// <param name="Degraded">feed-state pages answered <c>"degraded": true</c>.</param>
public sealed record ReadsReport(int Users, long Facts, long WrongLiked, long WrongCounts, long WrongMyLikes, long ServerErrors, long Degraded)
{
    /// <summary>Some of the wrong answers, to look up.</summary>
    public IReadOnlyList<string> Samples { get; init; } = [];

    /// <summary>Every answer right: the pairs' liked-state and counts, and every user's my-likes.</summary>
    public long Wrong => WrongLiked + WrongCounts + WrongMyLikes;
}
