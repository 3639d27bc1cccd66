using System.Diagnostics;
using Likes.Edge.Reads;
using Likes.Fixtures;
using Likes.Shared;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Edge.Tests;

/// <summary>
/// Ids nobody liked cannot be used to hammer PostgreSQL: their counts are cached as ghosts, and concurrent
/// misses of the same ids share one query. Counted twice: by the edge (its own count of the queries it ran)
/// and by PostgreSQL (pg_stat_statements of the fixture's database). The database's view is an upper bound
/// only: on a busy shared server it evicts rarely used entries, which can only make it lower.
/// </summary>
public sealed class GhostCountTests(EdgeFixture edge, ITestOutputHelper output) : IClassFixture<EdgeFixture>
{
    private const int Reads = 10_000;
    private const int Clients = 16;
    private static readonly TimeSpan GhostTtl = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TenThousandReadsOfOneHundredGhostIds_CostPostgresOneCountsQueryPerIdPerGhostWindow()
    {
        // One counter bucket's worth: the ghosts expire together, so each window's refill is one query, not one per bucket.
        var first = Contents.Next() / RedisKeys.CountersPerBucket * RedisKeys.CountersPerBucket;
        var ghosts = Enumerable.Range(0, RedisKeys.CountersPerBucket).Select(i => first + i).ToArray();
        var users = Enumerable.Range(0, Clients).Select(_ => Users.Next()).ToArray();
        foreach (var user in users)
        {
            // Complete and empty: liked-state is a definite "no" from Redis, so only counts could reach PostgreSQL.
            await edge.Store.TimelineAsync(user, TimelineState.Complete, []);
        }

        // A generous Redis deadline: on a loaded test machine a slow Redis answer would send a page to
        // PostgreSQL (by design), and this test is about the counts queries alone.
        await using var host = EdgeHost.For(edge, ("Edge:RedisReadTimeout", "00:00:05"));
        using var client = host.CreateClient();
        var metrics = host.Services.GetRequiredService<ReadMetrics>();
        var ran = (Counts: metrics.FallbackQueriesRun(ReadMetrics.Counts), Other: OtherQueries(metrics));
        var before = await edge.Store.StatementCallsAsync(PostgresReads.CountsSql);
        var clock = Stopwatch.StartNew();
        var answered = await Task.WhenAll(users.Select(async user =>
        {
            var token = Tokens.For(user);
            var wrong = 0;
            for (var i = 0; i < Reads / Clients; i++)
            {
                var state = await client.FeedStateOkAsync(token, ghosts);
                wrong += state.Degraded is null && state.Items.All(item => item is { Count: 0, Liked: false }) ? 0 : 1;
            }

            return wrong;
        }));
        clock.Stop();
        var queries = metrics.FallbackQueriesRun(ReadMetrics.Counts) - ran.Counts;
        var others = OtherQueries(metrics) - ran.Other;
        var seenByPostgres = await edge.Store.StatementCallsAsync(PostgresReads.CountsSql) - before;

        output.WriteLine($"{Reads} reads of {ghosts.Length} ghost ids by {Clients} clients in {clock.Elapsed.TotalSeconds:F1} s: {queries} counts queries ({seenByPostgres} in pg_stat_statements), {others} other fallback queries (liked {metrics.FallbackQueriesRun(ReadMetrics.Liked)}, page {metrics.FallbackQueriesRun(ReadMetrics.Page)})");
        Assert.Equal(0, answered.Sum());
        // Each query covered the ids it was asked for once; a new window opens only when the ghosts expire.
        var windows = 1 + (int)(clock.Elapsed / GhostTtl);
        Assert.InRange(queries, 1, windows);
        Assert.InRange(seenByPostgres, 0, windows);
        Assert.Equal(0, others);
        foreach (var id in ghosts)
        {
            Assert.Equal("0:0", await edge.Store.CounterAsync(id));
        }
    }

    private static long OtherQueries(ReadMetrics metrics)
        => metrics.FallbackQueriesRun(ReadMetrics.Liked) + metrics.FallbackQueriesRun(ReadMetrics.Page) + metrics.FallbackQueriesRun(ReadMetrics.MyLikes);
}
