using System.Diagnostics;
using Dapper;
using Likes.Fixtures;
using Likes.Shared;
using Npgsql;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>
/// PostgreSQL fallbacks run under a budget (Edge:FallbackConcurrency) and a timeout (Edge:FallbackTimeout).
/// Past either, or when PostgreSQL fails, a fact is null and the body says "degraded": true — never a 500.
/// </summary>
public sealed class FallbackBudgetTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    private readonly ReadStore _store = edge.Store;

    [Fact]
    public async Task WithNoBudget_FactsOnlyPostgresKnowsAreNull_AndTheReadIsDegraded_WhileRedisFactsAreAnswered()
    {
        await using var host = EdgeHost.For(edge, ("Edge:FallbackConcurrency", "0"));
        using var client = host.CreateClient();
        var (user, cached, cold) = (Users.Next(), Contents.Next(), Contents.Next());
        await _store.SetCounterAsync(cached, "7:3");
        await _store.LikeAsync([(user, cold, ReadStore.Epoch)]);
        await _store.TimelineAsync(user, TimelineState.Truncated, [(cached, ReadStore.Epoch + 1)]);

        var response = await client.FeedStateAsync($"{cached},{cold}", Tokens.For(user));

        Assert.Equal(
            $$"""{"items":[{"contentId":"{{cached}}","count":7,"liked":true},{"contentId":"{{cold}}","count":null,"liked":null}],"degraded":true}""",
            await response.Content.ReadAsStringAsync());
        Assert.Equal(new LikeCount(cold.ToString(), null, true), await client.CountOkAsync(Tokens.For(user), cold));
        Assert.Null(await _store.CounterAsync(cold));
        Assert.Matches("""likes_edge_degraded_reads_total\{reason="budget"\} [1-9]""", await client.GetStringAsync("/metrics"));
    }

    [Fact]
    public async Task WithNoBudget_MyLikesPastTheTimelineIsDegraded_WithACursorToAskAgainFrom()
    {
        var user = Users.Next();
        var (newest, middle, older) = (Contents.Next(), Contents.Next(), Contents.Next());
        await _store.LikeAsync([(user, newest, ReadStore.Epoch + 3), (user, middle, ReadStore.Epoch + 2), (user, older, ReadStore.Epoch + 1)]);
        // The timeline's oldest time is only trusted to PostgreSQL: the page past "newest" needs a fallback.
        await _store.TimelineAsync(user, TimelineState.Truncated, [(newest, ReadStore.Epoch + 3), (middle, ReadStore.Epoch + 2)]);
        var token = Tokens.For(user);
        string? retry;
        await using (var host = EdgeHost.For(edge, ("Edge:FallbackConcurrency", "0")))
        {
            using var client = host.CreateClient();
            var page = await client.MyLikesOkAsync(token, limit: 5);

            Assert.True(page.Degraded);
            Assert.Equal([newest.ToString()], page.Items.Select(i => i.ContentId));
            retry = page.NextCursor;
            Assert.NotNull(retry);
        }

        var rest = await edge.Client.MyLikesOkAsync(token, limit: 5, cursor: retry);

        Assert.Null(rest.Degraded);
        Assert.Equal([middle.ToString(), older.ToString()], rest.Items.Select(i => i.ContentId));
        Assert.Null(rest.NextCursor);
    }

    [Fact]
    public async Task WhenTheOnlySlotIsHeldByASlowQuery_OtherReadsAreDegradedAtOnce_AndTheSlowOneIsDegradedAtItsTimeout()
    {
        await using var host = EdgeHost.For(edge, ("Edge:FallbackConcurrency", "1"), ("Edge:FallbackWait", "00:00:00"), ("Edge:FallbackTimeout", "00:00:00.500"));
        using var client = host.CreateClient();
        var user = Users.Next();
        var (slow, other) = (Contents.Next(), Contents.Next());
        await _store.LikedByAsync(slow, 2, Users.Next() / 2);
        await _store.LikedByAsync(other, 3, Users.Next() / 2);
        await _store.TimelineAsync(user, TimelineState.Complete, []);
        var token = Tokens.For(user);

        // The count table locked as a long migration would: the counts query waits on it, holding the slot.
        await using var locker = await edge.Postgres.OpenConnectionAsync();
        await using var tx = await locker.BeginTransactionAsync();
        await locker.ExecuteAsync("LOCK TABLE content_like_counts IN ACCESS EXCLUSIVE MODE", transaction: tx);
        var clock = Stopwatch.StartNew();
        var first = client.FeedStateOkAsync(token, slow);
        await Eventually.UntilAsync(() => CountsQueriesWaitingAsync(), TimeSpan.FromSeconds(5), "the counts query waiting on the lock");

        var secondStarted = clock.Elapsed;
        var second = await client.FeedStateOkAsync(token, other);
        var secondTook = clock.Elapsed - secondStarted;
        var firstAnswer = await first;
        var firstTook = clock.Elapsed;
        await tx.RollbackAsync();

        Assert.Equal([new FeedStateItem(other.ToString(), null, false)], second.Items);
        Assert.True(second.Degraded);
        Assert.True(secondTook < TimeSpan.FromMilliseconds(500), $"the read past the budget took {secondTook.TotalMilliseconds:F0} ms");
        Assert.Equal([new FeedStateItem(slow.ToString(), null, false)], firstAnswer.Items);
        Assert.True(firstAnswer.Degraded);
        Assert.InRange(firstTook, TimeSpan.FromMilliseconds(450), TimeSpan.FromSeconds(5));
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Matches("""likes_edge_degraded_reads_total\{reason="postgres"\} [1-9]""", metrics);

        // The lock gone, the same reads are whole again.
        var after = await client.FeedStateOkAsync(token, slow, other);
        Assert.Equal([new(slow.ToString(), 2, false), new(other.ToString(), 3, false)], after.Items);
        Assert.Null(after.Degraded);
    }

    [Fact]
    public async Task WhenPostgresIsUnreachable_ColdFactsAreNullAndDegraded_NeverA500()
    {
        await using var host = EdgeHost.For(edge, ("Postgres:ConnectionString", "Host=127.0.0.1;Port=1;Database=likes;Username=likes;Password=likes;Timeout=1"));
        using var client = host.CreateClient();
        var (user, cached, cold) = (Users.Next(), Contents.Next(), Contents.Next());
        await _store.SetCounterAsync(cached, "4:4");
        var token = Tokens.For(user);

        var state = await client.FeedStateOkAsync(token, cached, cold);
        var count = await client.CountOkAsync(token, cold);
        var mine = await client.MyLikesOkAsync(token);

        Assert.Equal([new(cached.ToString(), 4, null), new(cold.ToString(), null, null)], state.Items);
        Assert.True(state.Degraded);
        Assert.Equal(new LikeCount(cold.ToString(), null, true), count);
        Assert.True(mine.Degraded);
        Assert.Empty(mine.Items);
        Assert.NotNull(mine.NextCursor);
    }

    private async Task<bool> CountsQueriesWaitingAsync()
    {
        await using var statistics = NpgsqlDataSource.Create(TestServers.Postgres);
        await using var c = await statistics.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = @database AND wait_event_type = 'Lock' AND query LIKE 'SELECT content_id, like_count, version%'",
            new { database = edge.Database }) > 0;
    }
}
