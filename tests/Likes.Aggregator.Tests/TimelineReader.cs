using System.Globalization;
using Likes.Fixtures;
using Likes.Shared;
using StackExchange.Redis;
using Xunit;

namespace Likes.Aggregator.Tests;

/// <summary>Reads a fixture's timelines straight from Redis, under its key prefix.</summary>
public sealed class TimelineReader(StackFixture fixture)
{
    public RedisKeys Keys { get; } = new(fixture.KeyPrefix);

    private IDatabase Db => fixture.Redis.GetDatabase();

    /// <summary>Every liked (content, like time) of the user, by content id, without the sentinel.</summary>
    public async Task<IReadOnlyList<(long ContentId, long LikedAtMs)>> LikesAsync(long userId)
    {
        var entries = await Db.SortedSetRangeByRankWithScoresAsync(Keys.Timeline(userId));
        return [.. entries
            .Where(e => TimelineSentinel.IsContent(e.Element))
            .Select(e => (long.Parse((string)e.Element!, CultureInfo.InvariantCulture), (long)e.Score))
            .OrderBy(e => e.Item1)];
    }

    public async Task<TimelineState> StateAsync(long userId)
        => TimelineSentinel.StateOf(await Db.SortedSetRangeByRankWithScoresAsync(Keys.Timeline(userId), 0, 0));

    /// <summary>Members including the sentinel.</summary>
    public Task<long> CardinalityAsync(long userId) => Db.SortedSetLengthAsync(Keys.Timeline(userId));

    public Task<double?> ScoreAsync(long userId, long contentId) => Db.SortedSetScoreAsync(Keys.Timeline(userId), contentId);

    /// <summary>Puts a sentinel in place as the reheater does after a rebuild (Complete) before any event.</summary>
    public Task SeedStateAsync(long userId, TimelineState state)
    {
        var sentinel = new TimelineSentinel(0, 0, state);
        return Db.SortedSetAddAsync(Keys.Timeline(userId), sentinel.Member, sentinel.Score);
    }

    /// <summary>Fails, naming every differing user with both sides, unless each timeline holds exactly what the model says.</summary>
    public async Task AssertHoldsAsync(TimelineModel model, TimeSpan? within = null)
    {
        // Caught up by what Redis holds, not only by the server's consumer state (which can say "nothing pending" while a
        // restarted loop still applies events it reads from the stream): lost events never arrive, and the wait fails.
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.Zero);
        var differences = await DifferencesAsync(model);
        while (differences.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200));
            differences = await DifferencesAsync(model);
        }

        Assert.True(differences.Count == 0, $"{differences.Count} of {model.Users.Count} timelines differ from the model:\n{string.Join('\n', differences)}");
    }

    /// <summary>The users whose timelines differ from the model, each with both sides.</summary>
    private async Task<IReadOnlyList<string>> DifferencesAsync(TimelineModel model)
    {
        var differences = new List<string>();
        foreach (var user in model.Users)
        {
            var expected = model.Expected(user);
            var actual = await LikesAsync(user);
            if (!expected.SequenceEqual(actual))
            {
                differences.Add($"user {user}: expected [{string.Join(", ", expected)}] but Redis holds [{string.Join(", ", actual)}]");
            }
        }

        return differences;
    }
}
