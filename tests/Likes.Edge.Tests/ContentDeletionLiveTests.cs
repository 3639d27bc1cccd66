using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using Likes.Fixtures;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>DELETE /v1/contents/{id} through the fleet: afterwards the content is absent from every answer, and its likes go.</summary>
public sealed class ContentDeletionLiveTests(LiveStackFixture stack) : IClassFixture<LiveStackFixture>
{
    [Fact]
    public async Task Delete_WithoutTheAdminRole_Is403AndChangesNothing()
    {
        var response = await stack.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/contents/{Contents.Next()}")
        {
            Headers = { Authorization = new("Bearer", Tokens.For(Users.Next())) },
        });

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Delete_LeavesTheContentInNoAnswer_RemovesItsLikes_AndRefusesNewOnes()
    {
        var content = Contents.Next();
        var kept = Contents.Next();
        var likers = Enumerable.Range(0, 17).Select(_ => Users.Next()).ToList();
        Assert.Equal(HttpStatusCode.OK, (await stack.Client.PutSettingsAsync(Tokens.For(likers[0]), """{"likesPublic":false}""")).StatusCode);
        foreach (var user in likers)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.LikeAsync(Id(content), Tokens.For(user))).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.LikeAsync(Id(kept), Tokens.For(user))).StatusCode);
        }

        var reader = Tokens.For(likers[3]);
        await Eventually.UntilAsync(async () => (await stack.Client.CountOkAsync(reader, content)).Count == 17, TimeSpan.FromSeconds(20), "every like counted");

        var deleted = await stack.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/v1/contents/{content}")
        {
            Headers = { Authorization = new("Bearer", Tokens.Service()) },
        });
        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        Assert.Equal($$"""{"contentId":"{{content}}","deleted":true}""", await deleted.Content.ReadAsStringAsync());

        await Eventually.UntilAsync(async () => await LikesOfAsync(content) == 0, TimeSpan.FromSeconds(20), "its likes removed");
        // Counters follow PostgreSQL within their write pacing.
        await Eventually.UntilAsync(
            async () => (await stack.Client.FeedStateOkAsync(reader, content, kept)).Items is [{ Count: 0, Liked: false }, { Count: 17, Liked: true }],
            TimeSpan.FromSeconds(5), "deleted: 0 and not liked; the other content unchanged");
        Assert.Equal(0, (await stack.Client.CountOkAsync(reader, content)).Count);
        Assert.Equal([Id(kept)], (await stack.Client.MyLikesOkAsync(reader)).Items.Select(i => i.ContentId));
        var (first, listed) = await stack.Client.AllLikersAsync(content, reader, 5);
        Assert.Equal((0, 0, 0), (first.Count, first.PrivateLikers, listed.Count));
        var export = await (await stack.Client.ExportAsync(reader)).Content.ReadAsStringAsync();
        Assert.Equal([Id(kept)], export.TrimEnd('\n').Split('\n').Select(l => JsonSerializer.Deserialize<MyLike>(l, JsonSerializerOptions.Web)!.ContentId));
        await using (var c = await stack.Postgres.OpenConnectionAsync())
        {
            Assert.True(await c.ExecuteScalarAsync<bool>("SELECT finished_at IS NOT NULL FROM content_deletions WHERE content_id = @content", new { content }));
            Assert.Equal(0, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM private_likes WHERE content_id = @content", new { content }));
        }

        var refused = await stack.Client.LikeAsync(Id(content), Tokens.For(Users.Next()));
        await ProblemAssert.IsProblemAsync(refused, HttpStatusCode.Gone);
        Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.UnlikeAsync(Id(content), reader)).StatusCode);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private async Task<long> LikesOfAsync(long content)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM likes WHERE content_id = @content", new { content });
    }
}
