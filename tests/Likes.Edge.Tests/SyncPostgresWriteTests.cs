using System.Net;
using Dapper;
using Likes.Fixtures;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>
/// The peer baseline's write path (Edge:WritePath postgres): the same front answers the same way, but each write
/// is its row and its count row in PostgreSQL, committed before the answer, and nothing goes to the stream.
/// </summary>
public sealed class SyncPostgresWriteTests(StackFixture stack) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task LikesAndUnlikes_AreCommittedBeforeThe202_WithExactCounts_AndNothingPublished()
    {
        await using var host = EdgeHost.For(stack, ("Edge:WritePath", "postgres"), ("Edge:ReadSource", "postgres"));
        using var client = host.CreateClient();
        var events = new EventStream(stack);
        var before = await events.PositionAsync();
        long first = Users.Next(), second = Users.Next();

        Assert.Equal(HttpStatusCode.Accepted, (await client.LikeAsync("77", Tokens.For(first))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.LikeAsync("77", Tokens.For(first))).StatusCode);
        var liked = await client.LikeAsync("77", Tokens.For(second));
        Assert.Equal("""{"contentId":"77","liked":true}""", await liked.Content.ReadAsStringAsync());
        Assert.Equal((2L, 2L), await StoredAsync(77));

        Assert.Equal(HttpStatusCode.Accepted, (await client.UnlikeAsync("77", Tokens.For(first))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.UnlikeAsync("77", Tokens.For(first))).StatusCode);
        Assert.Equal((1L, 1L), await StoredAsync(77));
        Assert.Equal(before.Messages, (await events.PositionAsync()).Messages);

        var invalid = await client.LikeAsync("0", Tokens.For(first));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task WritingToPostgres_WhileReadingRedis_IsRefusedAtStart()
    {
        await using var host = EdgeHost.For(stack, ("Edge:WritePath", "postgres"));
        var refused = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        Assert.Contains("Edge:WritePath postgres needs Edge:ReadSource postgres", refused.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The count row and the rows it counts.</summary>
    private async Task<(long Count, long Rows)> StoredAsync(long content)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        return await c.QuerySingleAsync<(long, long)>(
            "SELECT (SELECT like_count FROM content_like_counts WHERE content_id = @content), (SELECT count(*) FROM likes WHERE content_id = @content)",
            new { content });
    }
}
