using Dapper;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Bloom;
using Likes.Shared.Configuration;
using Npgsql;
using StackExchange.Redis;

namespace Likes.Edge.Tests;

/// <summary>Seeds and inspects a fixture's stores behind the edge's back: the truth in PostgreSQL, the caches in Redis.</summary>
public sealed class ReadStore(StackFixture stack)
{
    /// <summary>A fixed point in time for seeded likes, in Unix ms (2025-11-24T16:00:00Z).</summary>
    public const long Epoch = 1_764_000_000_000;

    public RedisKeys Keys { get; } = new(stack.KeyPrefix);

    private IDatabase Redis => stack.Redis.GetDatabase();

    /// <summary>Like rows with their times, and each content's count row moved to match (version + 1), as the persister would leave them.</summary>
    public async Task LikeAsync(IEnumerable<(long UserId, long ContentId, long LikedAtMs)> likes)
    {
        var rows = likes.ToList();
        await using var c = await stack.Postgres.OpenConnectionAsync();
        await using var tx = await c.BeginTransactionAsync();
        await c.ExecuteAsync(
            "INSERT INTO likes (user_id, content_id, created_at) SELECT u, c, to_timestamp(t / 1000.0) FROM unnest(@u, @c, @t) AS x(u, c, t)",
            new { u = rows.Select(r => r.UserId).ToArray(), c = rows.Select(r => r.ContentId).ToArray(), t = rows.Select(r => r.LikedAtMs).ToArray() }, tx);
        foreach (var group in rows.GroupBy(r => r.ContentId))
        {
            await c.ExecuteAsync("""
                INSERT INTO content_like_counts (content_id, like_count) VALUES (@content, @n)
                ON CONFLICT (content_id) DO UPDATE SET like_count = content_like_counts.like_count + @n, version = content_like_counts.version + 1
                """, new { content = group.Key, n = (long)group.Count() }, tx);
        }

        await tx.CommitAsync();
    }

    /// <summary><paramref name="likers"/> distinct users (from <paramref name="firstUser"/>) like the content.</summary>
    public Task LikedByAsync(long contentId, int likers, long firstUser)
        => LikeAsync(Enumerable.Range(0, likers).Select(i => (firstUser + i, contentId, Epoch + i)));

    public async Task<CounterValue?> CountRowAsync(long contentId)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        var row = await c.QuerySingleOrDefaultAsync<(long, long)?>("SELECT like_count, version FROM content_like_counts WHERE content_id = @contentId", new { contentId });
        return row is { } r ? new CounterValue(r.Item1, r.Item2) : null;
    }

    /// <summary>Writes a timeline as the reheater would (state, newest likes).</summary>
    public Task TimelineAsync(long userId, TimelineState state, IEnumerable<(long ContentId, long LikedAtMs)> newest)
        => new TimelineStore(stack.Redis, Keys, Microsoft.Extensions.Options.Options.Create(new TimelineOptions())).ReplaceAsync(userId, default, state, [.. newest]);

    /// <summary>Writes a Bloom filter of <paramref name="liked"/> as the reheater would, sized for <paramref name="capacity"/> ids.</summary>
    public async Task FilterAsync(long userId, IEnumerable<long> liked, int capacity = 1000)
    {
        var filter = new BloomBitmap(BloomShape.For(capacity, 0.01));
        foreach (var contentId in liked)
        {
            filter.Add(contentId);
        }

        await Redis.StringSetAsync(Keys.Bloom(userId), filter.ToBytes());
    }

    public Task<StoredFilter?> StoredFilterAsync(long userId) => StoredFilter.ReadAsync(Redis, Keys, userId);

    public async Task<string?> CounterAsync(long contentId) => await CounterStore.Read(Redis, Keys, contentId);

    /// <summary>The expiry of the content's counter bucket (a bucket of ghosts only has one).</summary>
    public Task<TimeSpan?> CounterTtlAsync(long contentId) => Redis.KeyTimeToLiveAsync(Keys.CounterBucket(contentId));

    public Task SetCounterAsync(long contentId, string value) => Redis.HashSetAsync(Keys.CounterBucket(contentId), RedisKeys.CounterField(contentId), value);

    public Task DeleteCounterAsync(long contentId) => Redis.HashDeleteAsync(Keys.CounterBucket(contentId), RedisKeys.CounterField(contentId));

    public Task<bool> TimelineExistsAsync(long userId) => Redis.KeyExistsAsync(Keys.Timeline(userId));

    /// <summary>What FLUSHALL would do to this fixture, without touching anyone else's keys on the shared server.</summary>
    public async Task DeleteAllKeysAsync()
    {
        await stack.Redis.DeleteKeysAsync(stack.KeyPrefix + "*");
    }

    /// <summary>
    /// How many times PostgreSQL ran <paramref name="sql"/> in this fixture's database, from pg_stat_statements
    /// (Npgsql sends @name parameters as $1, $2… in order of appearance, as the view shows them).
    /// </summary>
    public async Task<long> StatementCallsAsync(string sql)
    {
        var normalized = sql;
        var names = System.Text.RegularExpressions.Regex.Matches(sql, "@[a-z_]+").Select(m => m.Value).Distinct().ToList();
        for (var i = 0; i < names.Count; i++)
        {
            normalized = System.Text.RegularExpressions.Regex.Replace(normalized, names[i] + "\\b", "$$" + (i + 1));
        }

        await using var statistics = NpgsqlDataSource.Create(TestServers.Postgres);
        await using var c = await statistics.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("""
            SELECT coalesce(sum(s.calls), 0)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = @database AND s.query = @normalized
            """, new { database = stack.Database, normalized });
    }
}
