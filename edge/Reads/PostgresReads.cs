using Likes.Shared;
using Npgsql;
using NpgsqlTypes;

namespace Likes.Edge.Reads;

/// <summary>
/// The read path's PostgreSQL queries: each a single statement on an index, a page's ids as one array
/// parameter (never one query per id). Callers run them through the <see cref="FallbackBudget"/>.
/// </summary>
public sealed class PostgresReads(NpgsqlDataSource postgres)
{
    public const string CountsSql = "SELECT content_id, like_count, version FROM content_like_counts WHERE content_id = ANY(@ids)";

    public const string LikedSql = "SELECT content_id FROM likes WHERE user_id = @u AND content_id = ANY(@ids)";

    /// <summary>A whole page at once (Redis down, or ReadSource postgres): each id's count and whether the user liked it.</summary>
    public const string PageSql = """
        SELECT i.id, coalesce(c.like_count, 0), EXISTS (SELECT 1 FROM likes l WHERE l.user_id = @u AND l.content_id = i.id)
        FROM unnest(@ids) AS i(id) LEFT JOIN content_like_counts c ON c.content_id = i.id
        """;

    /// <summary>Keyset pages on likes_user_newest (user_id, created_at DESC, content_id DESC).</summary>
    public const string MyLikesSql = """
        SELECT content_id, created_at FROM likes
        WHERE user_id = @u AND (created_at, content_id) < (@t, @c)
        ORDER BY created_at DESC, content_id DESC LIMIT @limit
        """;

    public const string MyNewestLikesSql = """
        SELECT content_id, created_at FROM likes
        WHERE user_id = @u
        ORDER BY created_at DESC, content_id DESC LIMIT @limit
        """;

    /// <summary>The count rows that exist among <paramref name="ids"/>; an absent id has no row (nobody ever liked it).</summary>
    public async Task<Dictionary<long, CounterValue>> CountsAsync(long[] ids, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(CountsSql);
        command.Parameters.Add(Ids(ids));
        var counts = new Dictionary<long, CounterValue>(ids.Length);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetInt64(0)] = new CounterValue(reader.GetInt64(1), reader.GetInt64(2));
        }

        return counts;
    }

    /// <summary>Which of <paramref name="ids"/> the user likes.</summary>
    public async Task<HashSet<long>> LikedAsync(long userId, long[] ids, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(LikedSql);
        command.Parameters.Add(new NpgsqlParameter<long>("u", userId));
        command.Parameters.Add(Ids(ids));
        var liked = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            liked.Add(reader.GetInt64(0));
        }

        return liked;
    }

    /// <summary>Each id's count (0 without a row) and whether the user likes it.</summary>
    public async Task<Dictionary<long, (long Count, bool Liked)>> PageAsync(long userId, long[] ids, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(PageSql);
        command.Parameters.Add(new NpgsqlParameter<long>("u", userId));
        command.Parameters.Add(Ids(ids));
        var page = new Dictionary<long, (long, bool)>(ids.Length);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page[reader.GetInt64(0)] = (reader.GetInt64(1), reader.GetBoolean(2));
        }

        return page;
    }

    /// <summary>Up to <paramref name="limit"/> of the user's likes strictly older than <paramref name="after"/> (the newest when null), newest first.</summary>
    public async Task<List<(long ContentId, long LikedAtMs)>> MyLikesAsync(long userId, (long LikedAtMs, long ContentId)? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(after is null ? MyNewestLikesSql : MyLikesSql);
        command.Parameters.Add(new NpgsqlParameter<long>("u", userId));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        if (after is { } a)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime>("t", DateTimeOffset.FromUnixTimeMilliseconds(a.LikedAtMs).UtcDateTime));
            command.Parameters.Add(new NpgsqlParameter<long>("c", a.ContentId));
        }

        var rows = new List<(long, long)>(limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetInt64(0), new DateTimeOffset(reader.GetFieldValue<DateTime>(1)).ToUnixTimeMilliseconds()));
        }

        return rows;
    }

    private static NpgsqlParameter<long[]> Ids(long[] ids) => new("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = ids };
}
