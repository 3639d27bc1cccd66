using System.Diagnostics;
using Likes.Fixtures;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>
/// Redis unreachable: every read is answered from PostgreSQL, exactly, and quickly. Edge:ReadSource postgres
/// answers the same from PostgreSQL alone while Redis is up, and leaves Redis untouched.
/// </summary>
public sealed class RedisUnavailableReadTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    public const string UnreachableRedis = "127.0.0.1:1,abortConnect=false,connectTimeout=200,syncTimeout=200";

    private readonly ReadStore _store = edge.Store;

    [Theory]
    [InlineData("Redis:Configuration", UnreachableRedis)]
    [InlineData("Edge:ReadSource", "postgres")]
    public async Task FeedStateCountAndMyLikes_AreAnsweredExactlyFromPostgres(string key, string value)
    {
        var seeded = await SeedAsync();
        await using var host = EdgeHost.For(edge, (key, value));
        using var client = host.CreateClient();
        var token = Tokens.For(seeded.User);

        var clock = Stopwatch.StartNew();
        var state = await client.FeedStateOkAsync(token, seeded.Both, seeded.Mine, seeded.Theirs, seeded.Nobody, seeded.Both);
        clock.Stop();
        var count = await client.CountOkAsync(token, seeded.Theirs);
        var mine = await client.AllMyLikesAsync(token, limit: 1);

        Assert.Equal(
            [
                new(seeded.Both.ToString(), 2, true), new(seeded.Mine.ToString(), 1, true), new(seeded.Theirs.ToString(), 1, false),
                new(seeded.Nobody.ToString(), 0, false), new(seeded.Both.ToString(), 2, true),
            ],
            state.Items);
        Assert.Null(state.Degraded);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"feed-state took {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(new LikeCount(seeded.Theirs.ToString(), 1, null), count);
        Assert.Equal([seeded.Mine.ToString(), seeded.Both.ToString()], mine.SelectMany(p => p).Select(i => i.ContentId));
        Assert.Equal("2025-11-24T16:00:00.002Z", mine[0][0].LikedAt);

        // Nothing was cached: no counter written back, no ghost.
        Assert.Null(await _store.CounterAsync(seeded.Both));
        Assert.Null(await _store.CounterAsync(seeded.Nobody));
    }

    [Fact]
    public async Task WithRedisUnreachable_ReadsAreCountedAsRedisDegraded()
    {
        await using var host = EdgeHost.For(edge, ("Redis:Configuration", UnreachableRedis));
        using var client = host.CreateClient();

        await client.FeedStateOkAsync(Tokens.For(Users.Next()), Contents.Next());

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Matches("""likes_edge_degraded_reads_total\{reason="redis"\} [1-9]""", metrics);
        Assert.Matches("""likes_edge_fallback_queries_total\{kind="page"\} [1-9]""", metrics);
        Assert.Matches("""likes_edge_read_facts_total\{source="postgres"\} [1-9]""", metrics);
    }

    private async Task<Seeded> SeedAsync()
    {
        var (user, other) = (Users.Next(), Users.Next());
        var (both, mine, theirs, nobody) = (Contents.Next(), Contents.Next(), Contents.Next(), Contents.Next());
        await _store.LikeAsync([(user, both, ReadStore.Epoch + 1), (other, both, ReadStore.Epoch + 1), (user, mine, ReadStore.Epoch + 2), (other, theirs, ReadStore.Epoch + 3)]);
        return new Seeded(user, both, mine, theirs, nobody);
    }

    private sealed record Seeded(long User, long Both, long Mine, long Theirs, long Nobody);
}
