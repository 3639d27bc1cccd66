using Dapper;
using Likes.Shared;
using Npgsql;
using StackExchange.Redis;

namespace Likes.Persister.Tests;

/// <summary>Reads the stores the way an auditor would.</summary>
internal static class TruthQueries
{
    public static async Task<HashSet<(long, long)>> LikedPairsAsync(NpgsqlDataSource pg)
    {
        await using var c = await pg.OpenConnectionAsync();
        var rows = await c.QueryAsync<(long, long)>("SELECT user_id, content_id FROM likes");
        return rows.ToHashSet();
    }

    /// <summary>Contents whose stored count differs from COUNT(*) of their rows (I2).</summary>
    public static async Task<int> CountDriftAsync(NpgsqlDataSource pg)
    {
        await using var c = await pg.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<int>("""
            SELECT count(*) FROM content_like_counts k
            FULL JOIN (SELECT content_id, count(*) AS n FROM likes GROUP BY content_id) l USING (content_id)
            WHERE coalesce(k.like_count, 0) <> coalesce(l.n, 0)
            """);
    }

    public static async Task<long> StoredCountAsync(NpgsqlDataSource pg, long content)
    {
        await using var c = await pg.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long?>("SELECT like_count FROM content_like_counts WHERE content_id = @content", new { content }) ?? 0;
    }

    public static async Task<long> RowsAsync(NpgsqlDataSource pg, long content)
    {
        await using var c = await pg.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM likes WHERE content_id = @content", new { content });
    }

    public static async Task<CounterValue?> RedisCounterAsync(IConnectionMultiplexer redis, RedisKeys keys, long content)
    {
        var text = await CounterStore.Read(redis.GetDatabase(), keys, content);
        return CounterValue.TryParse(text, out var v) ? v : null;
    }
}
