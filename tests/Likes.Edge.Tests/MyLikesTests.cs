using System.Globalization;
using Likes.Fixtures;
using Likes.Shared;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>
/// GET /v1/users/me/likes: newest first (time, then content id, both descending, numerically), across the
/// timeline and PostgreSQL without duplicates or gaps, with tamper-checked cursors.
/// </summary>
public sealed class MyLikesTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private const int TimelineSize = 10;
    private const int Older = 30;

    private readonly ReadStore _store = edge.Store;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(20)]
    [InlineData(100)]
    public async Task Pages_RunNewestFirstAcrossTheTruncatedTimelineAndPostgres_NoDuplicatesNoGaps(int limit)
    {
        var (user, likes) = await SeedAsync(TimelineState.Truncated);

        var pages = await edge.Client.AllMyLikesAsync(Tokens.For(user), limit);

        Assert.Equal(Expected(likes), pages.SelectMany(p => p).Select(i => i.ContentId));
        Assert.All(pages.SkipLast(1), p => Assert.Equal(limit, p.Count));
        Assert.InRange(pages[^1].Count, 1, limit);
    }

    [Theory]
    [InlineData(TimelineState.Partial)]
    [InlineData(TimelineState.Missing)]
    public async Task Pages_FromAPartialOrMissingTimeline_ContinueFromPostgres(TimelineState state)
    {
        var (user, likes) = await SeedAsync(state);

        var pages = await edge.Client.AllMyLikesAsync(Tokens.For(user), 6);

        Assert.Equal(Expected(likes), pages.SelectMany(p => p).Select(i => i.ContentId));
    }

    [Fact]
    public async Task Pages_FromAPartialTimelineHoldingAnOldLikeAtItsRepeatsTime_ListItOnceAtPostgresTime()
    {
        // An old relation liked again while the timeline was evicted: the aggregator started a partial timeline with it
        // at the repeat's time; PostgreSQL keeps the first like's. Until a rebuild, the two disagree.
        var (user, likes) = await SeedAsync(TimelineState.Missing);
        var old = likes.MinBy(l => l.LikedAtMs);
        var since = (ContentId: 999_999L, LikedAtMs: ReadStore.Epoch + 999);
        await _store.LikeAsync([(user, since.ContentId, since.LikedAtMs)]);
        likes.Add(since);
        await _store.TimelineAsync(user, TimelineState.Partial, [(old.ContentId, ReadStore.Epoch + 1_000), since]);

        var pages = await edge.Client.AllMyLikesAsync(Tokens.For(user), 6);

        Assert.Equal(Expected(likes), pages.SelectMany(p => p).Select(i => i.ContentId));
    }

    [Fact]
    public async Task Pages_FromACompleteTimeline_ComeFromRedisAlone()
    {
        var user = Users.Next();
        var inTimeline = Enumerable.Range(0, 12).Select(i => (ContentId: 5 + (7L * i), LikedAtMs: ReadStore.Epoch + (i / 3))).ToList();
        await _store.TimelineAsync(user, TimelineState.Complete, inTimeline);
        // A row only PostgreSQL has (a test staging a disagreement): a complete timeline is not second-guessed.
        await _store.LikeAsync([(user, 999_999, ReadStore.Epoch - 1000)]);

        var pages = await edge.Client.AllMyLikesAsync(Tokens.For(user), 5);

        Assert.Equal(Expected(inTimeline), pages.SelectMany(p => p).Select(i => i.ContentId));
        Assert.Equal([5, 5, 2], pages.Select(p => p.Count));
    }

    [Fact]
    public async Task Pages_OfManyLikesAtTheSameMillisecond_AreOrderedByContentIdNumerically()
    {
        // More than a page plus the fetch's slack at one score: the cut falls inside the group, which must be completed.
        var user = Users.Next();
        var sameTime = Enumerable.Range(1, 60).Select(i => (ContentId: (long)(i * 13 % 61 + (i % 2 == 0 ? 1000 : 1)), LikedAtMs: ReadStore.Epoch)).ToList();
        await _store.TimelineAsync(user, TimelineState.Complete, sameTime);

        var pages = await edge.Client.AllMyLikesAsync(Tokens.For(user), 20);

        Assert.Equal(sameTime.Select(l => l.ContentId).OrderDescending().Select(id => id.ToString(CultureInfo.InvariantCulture)), pages.SelectMany(p => p).Select(i => i.ContentId));
        Assert.Equal([20, 20, 20], pages.Select(p => p.Count));
    }

    [Theory]
    [InlineData(TimelineState.Truncated)]
    [InlineData(TimelineState.Partial)]
    public async Task Pages_WhenTheTimelineHoldsItsOldestTimeOnlyInPart_TakeThatTimeFromPostgres(TimelineState state)
    {
        // Trimming ranks equal times by bytes: of 3113…, 1239… and 667… at one millisecond it keeps "667…",
        // the numerically smallest. Answering 667… from the timeline and the rest after it would skip two likes.
        var user = Users.Next();
        List<(long ContentId, long LikedAtMs)> likes =
        [
            (9_001_001_665_484_048_729, ReadStore.Epoch + 2), (5_592_525_055_967_300_108, ReadStore.Epoch + 2),
            (3_113_985_401_872_162_226, ReadStore.Epoch + 1), (1_239_123_736_175_488_543, ReadStore.Epoch + 1), (667_819_747_873_194_865, ReadStore.Epoch + 1),
            (7_781_439_812_358_651_505, ReadStore.Epoch),
        ];
        await _store.LikeAsync(likes.Select(l => (user, l.ContentId, l.LikedAtMs)));
        await _store.TimelineAsync(user, state, [likes[0], likes[1], likes[4]]);

        foreach (var limit in new[] { 1, 2, 3, 4, 10 })
        {
            var pages = await edge.Client.AllMyLikesAsync(Tokens.For(user), limit);

            Assert.Equal(Expected(likes), pages.SelectMany(p => p).Select(i => i.ContentId));
        }
    }

    [Fact]
    public async Task Page_WithoutLimit_HasTwentyItems_AndLikedAtInUtcWithMilliseconds()
    {
        var (user, likes) = await SeedAsync(TimelineState.Truncated);

        var page = await edge.Client.MyLikesOkAsync(Tokens.For(user));

        Assert.Equal(20, page.Items.Count);
        var newest = likes.OrderByDescending(l => l.LikedAtMs).ThenByDescending(l => l.ContentId).First();
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(newest.LikedAtMs).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture), page.Items[0].LikedAt);
        Assert.EndsWith("Z", page.Items[0].LikedAt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_OfAUserWhoLikedNothing_IsEmptyWithoutCursor()
    {
        var page = await edge.Client.MyLikesOkAsync(Tokens.For(Users.Next()));

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task Page_EndingExactlyAtTheLastLike_HasNoNextCursor()
    {
        var (user, likes) = await SeedAsync(TimelineState.Truncated);

        var page = await edge.Client.MyLikesOkAsync(Tokens.For(user), limit: likes.Count);

        Assert.Equal(likes.Count, page.Items.Count);
        Assert.Null(page.NextCursor);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-1)]
    public async Task Limit_OutOfRange_Is400NamingLimit(int limit)
        => await ProblemAssert.IsValidationProblemAsync(await edge.Client.MyLikesAsync(Tokens.For(Users.Next()), limit), "limit");

    [Theory]
    [InlineData("limit=abc")]
    [InlineData("limit=1.5")]
    [InlineData("limit=")]
    [InlineData("limit=%2B5")]
    [InlineData("limit=5&limit=6")]
    public async Task Limit_NotAnInteger_Is400NamingLimit(string query)
        => await ProblemAssert.IsValidationProblemAsync(await edge.Client.GetAsync("/v1/users/me/likes?" + query, Tokens.For(Users.Next())), "limit");

    [Fact]
    public async Task Cursor_Altered_Is400NamingCursor()
    {
        var (user, _) = await SeedAsync(TimelineState.Truncated);
        var token = Tokens.For(user);
        var cursor = (await edge.Client.MyLikesOkAsync(token, 5)).NextCursor!;

        foreach (var position in new[] { 0, cursor.Length / 2, cursor.Length - 2 })
        {
            var forged = cursor[..position] + (cursor[position] == 'A' ? 'B' : 'A') + cursor[(position + 1)..];
            await ProblemAssert.IsValidationProblemAsync(await edge.Client.MyLikesAsync(token, 5, forged), "cursor");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-a-cursor")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Cursor_Garbage_Is400NamingCursor(string cursor)
        => await ProblemAssert.IsValidationProblemAsync(await edge.Client.GetAsync("/v1/users/me/likes?cursor=" + Uri.EscapeDataString(cursor), Tokens.For(Users.Next())), "cursor");

    [Fact]
    public async Task Cursor_OfAnotherUser_Is400NamingCursor()
    {
        var (owner, _) = await SeedAsync(TimelineState.Truncated);
        var cursor = (await edge.Client.MyLikesOkAsync(Tokens.For(owner), 5)).NextCursor!;

        await ProblemAssert.IsValidationProblemAsync(await edge.Client.MyLikesAsync(Tokens.For(Users.Next()), 5, cursor), "cursor");
    }

    [Fact]
    public async Task Cursor_SignedWithAnotherJwtKey_Is400NamingCursor()
    {
        const string otherKey = "another-deployment-key-0123456789abcdef";
        var (user, _) = await SeedAsync(TimelineState.Truncated);
        await using var other = EdgeHost.For(edge, ("Edge:Jwt:Key", otherKey));
        using var otherClient = other.CreateClient();
        var cursor = (await otherClient.MyLikesOkAsync(Tokens.For(user.ToString(CultureInfo.InvariantCulture), key: otherKey), 5)).NextCursor!;

        await ProblemAssert.IsValidationProblemAsync(await edge.Client.MyLikesAsync(Tokens.For(user), 5, cursor), "cursor");
    }

    /// <summary>
    /// A user with N + 30 likes in PostgreSQL, three at each millisecond with ids whose digits differ in length
    /// (so bytes and numbers disagree on the order), and a timeline of the newest N in the given state.
    /// </summary>
    private async Task<(long User, List<(long ContentId, long LikedAtMs)> Likes)> SeedAsync(TimelineState state)
    {
        var user = Users.Next();
        var likes = Enumerable.Range(0, TimelineSize + Older).Select(i => (ContentId: 5 + (7L * i), LikedAtMs: ReadStore.Epoch + (i / 3))).ToList();
        await _store.LikeAsync(likes.Select(l => (user, l.ContentId, l.LikedAtMs)));
        var newest = likes.OrderByDescending(l => l.LikedAtMs).ThenByDescending(l => l.ContentId).Take(state == TimelineState.Partial ? 4 : TimelineSize);
        if (state != TimelineState.Missing)
        {
            await _store.TimelineAsync(user, state, newest);
        }

        return (user, likes);
    }

    private static IEnumerable<string> Expected(IEnumerable<(long ContentId, long LikedAtMs)> likes)
        => likes.OrderByDescending(l => l.LikedAtMs).ThenByDescending(l => l.ContentId).Select(l => l.ContentId.ToString(CultureInfo.InvariantCulture));
}
