using Dapper;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Bloom;
using Likes.Shared.Configuration;
using Microsoft.Extensions.Options;
using Xunit;

namespace Likes.Reconciler.Tests;

/// <summary>Timelines and Bloom filters sampled against PostgreSQL: drift past the grace period is repaired, lag is not drift.</summary>
public class TimelineAuditTests(StackFixture fixture) : IClassFixture<StackFixture>, IAsyncLifetime
{
    private readonly Stack _stack = new(fixture);
    private DaemonHost _host = null!;

    public async Task InitializeAsync() => _host = await _stack.ServicesAsync(new Dictionary<string, string?> { ["Reconciler:Grace"] = "00:00:00.300" });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task ATimelineThatAgreesWithPostgres_IsLeftAlone()
    {
        var user = await UserWithLikesAsync(6);
        await ReplaceAsync(user, TimelineState.Complete, await LikesAsync(user));

        var report = await AuditAsync(user);

        Assert.Equal((1L, 0L), (report.TimelinesChecked, report.TimelineDrift));
        Assert.True(await fixture.Redis.GetDatabase().KeyExistsAsync(_stack.Keys.Timeline(user)));
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("extra")]
    public async Task ACompleteTimelineMissingALikeOrHoldingOneTooMany_IsDrift_AndDeleted(string how)
    {
        var user = await UserWithLikesAsync(6);
        var likes = await LikesAsync(user);
        await ReplaceAsync(user, TimelineState.Complete, how == "missing" ? likes[1..] : [.. likes, (999_999L, 1_764_000_000_000L)]);

        var report = await AuditAsync(user);

        Assert.Equal((1L, 1L), (report.TimelineDrift, report.TimelineRepaired));
        Assert.False(await fixture.Redis.GetDatabase().KeyExistsAsync(_stack.Keys.Timeline(user)));
        Assert.Contains("timelines 1 sampled, drift 1", report.Format(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADifferenceGoneWithinTheGracePeriod_IsLag_NotDrift()
    {
        var user = await UserWithLikesAsync(4);
        var likes = await LikesAsync(user);
        await ReplaceAsync(user, TimelineState.Complete, likes[1..]);

        var audit = AuditAsync(user);
        // The like arrives in the timeline while the audit waits out the grace period.
        await Task.Delay(TimeSpan.FromMilliseconds(50));
        await ReplaceAsync(user, TimelineState.Complete, likes);

        Assert.Equal(0, (await audit).TimelineDrift);
    }

    [Fact]
    public async Task AFilterWithoutALikeBeyondATruncatedTimeline_IsDrift()
    {
        var user = await UserWithLikesAsync(8);
        var likes = await LikesAsync(user);
        var filter = new BloomBitmap(BloomShape.For(100, 0.01));
        foreach (var (content, _) in likes.Skip(4).Skip(1))
        {
            filter.Add(content);
        }

        await ReplaceAsync(user, TimelineState.Truncated, likes[..4]);
        await fixture.Redis.GetDatabase().StringSetAsync(_stack.Keys.Bloom(user), filter.ToBytes());

        var report = await AuditAsync(user);

        Assert.Equal(1, report.TimelineDrift);
        Assert.False(await fixture.Redis.GetDatabase().KeyExistsAsync(_stack.Keys.Bloom(user)));
    }

    private async Task<ReconcileReport> AuditAsync(long user)
    {
        var report = new ReconcileReport(RecentReconciliation.Job);
        await _host.Get<TimelineAudit>().CheckAsync([user], report, CancellationToken.None);
        return report;
    }

    private Task<bool> ReplaceAsync(long user, TimelineState state, IReadOnlyList<(long ContentId, long LikedAtMs)> newest)
        => new TimelineStore(fixture.Redis, _stack.Keys, Options.Create(new TimelineOptions())).ReplaceAsync(user, default, state, newest);

    private async Task<long> UserWithLikesAsync(int likes)
    {
        var user = Random.Shared.NextInt64(1, long.MaxValue);
        await using var c = await fixture.Postgres.OpenConnectionAsync();
        await c.ExecuteAsync(
            "INSERT INTO likes SELECT @user, 700 + i, to_timestamp((1764000000000 + i * 1000) / 1000.0) FROM generate_series(1, @likes) i", new { user, likes });
        return user;
    }

    private async Task<List<(long ContentId, long LikedAtMs)>> LikesAsync(long user)
    {
        await using var c = await fixture.Postgres.OpenConnectionAsync();
        return [.. await c.QueryAsync<(long, long)>(
            "SELECT content_id, (extract(epoch FROM created_at) * 1000)::bigint FROM likes WHERE user_id = @user ORDER BY created_at DESC, content_id DESC", new { user })];
    }
}
