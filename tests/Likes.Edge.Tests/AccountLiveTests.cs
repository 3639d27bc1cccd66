using System.Globalization;
using System.Net;
using System.Text.Json;
using Dapper;
using Likes.Fixtures;
using Likes.Shared;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>
/// Who liked a content, private likes, erasure and export, all the way through the fleet: the edge publishes, the
/// aggregator and persister apply, the reads answer from what they made.
/// </summary>
public sealed class AccountLiveTests(LiveStackFixture stack) : IClassFixture<LiveStackFixture>
{
    [Fact]
    public async Task Likers_LeaveOutPrivateUsers_ListedPlusPrivateEqualsTheCount()
    {
        var content = Contents.Next();
        var users = Enumerable.Range(0, 9).Select(_ => Users.Next()).ToList();
        var hiddenFirst = users[..2];
        var hiddenAfter = users[2..4];
        foreach (var user in hiddenFirst)
        {
            Assert.Equal(HttpStatusCode.OK, (await stack.Client.PutSettingsAsync(Tokens.For(user), """{"likesPublic":false}""")).StatusCode);
        }

        foreach (var user in users)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.LikeAsync(Id(content), Tokens.For(user))).StatusCode);
        }

        foreach (var user in hiddenAfter)
        {
            Assert.Equal(HttpStatusCode.OK, (await stack.Client.PutSettingsAsync(Tokens.For(user), """{"likesPublic":false}""")).StatusCode);
        }

        var token = Tokens.For(Users.Next());
        var (first, listed) = await Eventually.UntilAsync(
            () => stack.Client.AllLikersAsync(content, token, 2),
            l => l.First.PrivateLikers == 4 && l.Listed.Count == 5 && l.First.Count == 9,
            TimeSpan.FromSeconds(20),
            "four likers private, and the paced counter at 9");

        Assert.Equal(9, first.Count);
        Assert.Equal(first.Count, listed.Count + first.PrivateLikers);
        var expected = await PublicLikersNewestFirstAsync(content);
        Assert.Equal(expected, listed.Select(l => l.UserId));
        Assert.DoesNotContain(listed, l => users[..4].Select(Id).Contains(l.UserId));
        // A private user's own answers are unchanged (the counter follows PostgreSQL within its write pacing).
        await Eventually.UntilAsync(
            async () => (await stack.Client.FeedStateOkAsync(Tokens.For(hiddenAfter[0]), content)).Items[0] == new FeedStateItem(Id(content), 9, true),
            TimeSpan.FromSeconds(5), "count 9, liked");
        Assert.Equal(new Settings(false), await ReadRequests.OkAsync<Settings>(stack.Client.SettingsAsync(Tokens.For(hiddenAfter[0]))));

        // Shown again: listed again, and an unlike of a private user moves the private count with the count.
        Assert.Equal(HttpStatusCode.OK, (await stack.Client.PutSettingsAsync(Tokens.For(hiddenFirst[0]), """{"likesPublic":true}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.UnlikeAsync(Id(content), Tokens.For(hiddenAfter[1]))).StatusCode);
        var after = await Eventually.UntilAsync(
            () => stack.Client.AllLikersAsync(content, token, 3), l => l.First.Count == 8 && l.First.PrivateLikers == 2, TimeSpan.FromSeconds(20), "one shown, one private unliked");
        Assert.Equal(6, after.Listed.Count);
        Assert.Contains(Id(hiddenFirst[0]), after.Listed.Select(l => l.UserId));
    }

    [Theory]
    [InlineData("""{"likesPublic":"no"}""")]
    [InlineData("""{"public":false}""")]
    [InlineData("""[false]""")]
    [InlineData("""{"likesPublic":""")]
    public async Task Settings_WithABadBody_Answer400NamingTheField(string body)
    {
        var response = await stack.Client.PutSettingsAsync(Tokens.For(Users.Next()), body);

        await ProblemAssert.IsValidationProblemAsync(response, "likesPublic");
    }

    [Fact]
    public async Task Erase_RemovesEveryLikeOfTheCaller_WhileOthersLikeTheSameContents_CountsMoveByWhatWasRemoved()
    {
        var leaving = Users.Next();
        var other = Users.Next();
        var contents = Enumerable.Range(0, 24).Select(_ => Contents.Next()).ToList();
        foreach (var content in contents)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.LikeAsync(Id(content), Tokens.For(leaving))).StatusCode);
        }

        // Private, so the erasure moves the private likers too.
        Assert.Equal(HttpStatusCode.OK, (await stack.Client.PutSettingsAsync(Tokens.For(leaving), """{"likesPublic":false}""")).StatusCode);
        var erase = stack.Client.EraseAsync(Tokens.For(leaving));
        foreach (var content in contents[..12])
        {
            Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.LikeAsync(Id(content), Tokens.For(other))).StatusCode);
        }

        var erased = await erase;
        Assert.Equal(HttpStatusCode.Accepted, erased.StatusCode);
        Assert.Equal("""{"erasing":true}""", await erased.Content.ReadAsStringAsync());

        await Eventually.UntilAsync(async () => await LikesOfAsync(leaving) == 0 && await LikesOfAsync(other) == 12, TimeSpan.FromSeconds(30), "erased, and the other likes applied");
        await using (var c = await stack.Postgres.OpenConnectionAsync())
        {
            var rows = (await c.QueryAsync<(long Content, long Count, long Private)>(
                "SELECT content_id, like_count, private_likers FROM content_like_counts WHERE content_id = ANY(@contents)", new { contents = contents.ToArray() })).ToList();
            Assert.Equal(contents.Count, rows.Count);
            Assert.All(rows, r => Assert.Equal((contents.IndexOf(r.Content) < 12 ? 1 : 0, 0), (r.Count, r.Private)));
        }

        var token = Tokens.For(leaving);
        await Eventually.UntilAsync(
            async () => (await stack.Client.FeedStateOkAsync(token, [.. contents])).Items.All(i => i.Liked == false && i.Count == (contents.IndexOf(long.Parse(i.ContentId, CultureInfo.InvariantCulture)) < 12 ? 1 : 0)),
            TimeSpan.FromSeconds(10), "feed-state: nothing liked, counts moved");
        Assert.Empty((await stack.Client.MyLikesOkAsync(token)).Items);
        // The timeline is empty (its sentinel alone, so no rebuild brings the likes back), the filter gone.
        Assert.Equal(1, await stack.Redis.GetDatabase().SortedSetLengthAsync(stack.Store.Keys.Timeline(leaving)));
        Assert.False(await stack.Redis.GetDatabase().KeyExistsAsync(stack.Store.Keys.Bloom(leaving)));

        // A later like is a new one; erasing again is a no-op.
        Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.LikeAsync(Id(contents[0]), token)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await stack.Client.EraseAsync(Tokens.For(Users.Next()))).StatusCode);
        await Eventually.UntilAsync(async () => (await stack.Client.FeedStateOkAsync(token, contents[0])).Items[0] == new FeedStateItem(Id(contents[0]), 2, true), TimeSpan.FromSeconds(10), "liked again after the erasure");
    }

    [Fact]
    public async Task Export_StreamsEveryLikeNewestFirst_AsNdjson()
    {
        var user = Users.Next();
        const int Likes = 2_345;
        await using (var c = await stack.Postgres.OpenConnectionAsync())
        {
            await c.ExecuteAsync(
                "INSERT INTO likes (user_id, content_id, created_at) SELECT @user, 5000000 + i, now() - i * interval '1 second' FROM generate_series(1, @likes) AS i",
                new { user, likes = Likes });
        }

        var response = await stack.Client.ExportAsync(Tokens.For(user));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        var lines = text.TrimEnd('\n').Split('\n').Select(l => JsonSerializer.Deserialize<MyLike>(l, JsonSerializerOptions.Web)!).ToList();
        Assert.Equal(Enumerable.Range(1, Likes).Select(i => (5_000_000 + i).ToString(CultureInfo.InvariantCulture)), lines.Select(l => l.ContentId));
        Assert.All(lines, l => Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", l.LikedAt));
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private async Task<long> LikesOfAsync(long user)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM likes WHERE user_id = @user", new { user });
    }

    private async Task<List<string>> PublicLikersNewestFirstAsync(long content)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        return [.. (await c.QueryAsync<long>(
            """
            SELECT l.user_id FROM likes l LEFT JOIN user_settings s USING (user_id)
            WHERE l.content_id = @content AND coalesce(s.likes_public, true)
            ORDER BY l.created_at DESC, l.user_id DESC
            """, new { content })).Select(Id)];
    }
}
