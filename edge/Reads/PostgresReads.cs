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
    public const string CountsSql = "SELECT content_id, like_count, version, deleted_at IS NOT NULL FROM content_like_counts WHERE content_id = ANY(@ids)";

    public const string LikedSql = "SELECT content_id FROM likes WHERE user_id = @u AND content_id = ANY(@ids)";

    /// <summary>A whole page at once (Redis down, or ReadSource postgres): each id's count and whether the user liked it (a deleted content: 0, no).</summary>
    public const string PageSql = """
        SELECT i.id, CASE WHEN c.deleted_at IS NULL THEN coalesce(c.like_count, 0) ELSE 0 END,
               c.deleted_at IS NULL AND EXISTS (SELECT 1 FROM likes l WHERE l.user_id = @u AND l.content_id = i.id)
        FROM unnest(@ids) AS i(id) LEFT JOIN content_like_counts c ON c.content_id = i.id
        """;

    /// <summary>Keyset pages on likes_user_newest (user_id, created_at DESC, content_id DESC); a deleted content's likes left out.</summary>
    public const string MyLikesSql = """
        SELECT content_id, created_at FROM likes l
        WHERE user_id = @u AND (created_at, content_id) < (@t, @c)
          AND NOT EXISTS (SELECT 1 FROM content_like_counts k WHERE k.content_id = l.content_id AND k.deleted_at IS NOT NULL)
        ORDER BY created_at DESC, content_id DESC LIMIT @limit
        """;

    public const string MyNewestLikesSql = """
        SELECT content_id, created_at FROM likes l
        WHERE user_id = @u
          AND NOT EXISTS (SELECT 1 FROM content_like_counts k WHERE k.content_id = l.content_id AND k.deleted_at IS NOT NULL)
        ORDER BY created_at DESC, content_id DESC LIMIT @limit
        """;

    /// <summary>
    /// A page of a content's public likers, newest first, on likes_content_newest (content_id, created_at DESC, user_id
    /// DESC), with the count and the private likers of the same snapshot (one statement). Private likers are those in
    /// private_likes, which the persister keeps with the likes they mirror; a deleted content has none of either.
    /// </summary>
    private const string LikersSql = """
        SELECT k.like_count, k.private_likers, l.user_id, l.created_at
        FROM (SELECT coalesce(max(like_count), 0) AS like_count, coalesce(max(greatest(private_likers, 0)), 0) AS private_likers,
                     coalesce(bool_and(deleted_at IS NULL), true) AS live
              FROM content_like_counts WHERE content_id = @c) AS k
        LEFT JOIN LATERAL (
            SELECT user_id, created_at FROM likes l
            WHERE k.live AND l.content_id = @c AND KEYSET
              AND NOT EXISTS (SELECT 1 FROM private_likes p WHERE p.content_id = @c AND p.user_id = l.user_id)
            ORDER BY created_at DESC, user_id DESC LIMIT @limit
        ) AS l ON true
        """;

    private static readonly string FirstLikersSql = LikersSql.Replace("KEYSET", "true", StringComparison.Ordinal);

    private static readonly string NextLikersSql = LikersSql.Replace("KEYSET", "(l.created_at, l.user_id) < (@t, @u)", StringComparison.Ordinal);

    private const string LikesPublicSql = "SELECT coalesce((SELECT likes_public FROM user_settings WHERE user_id = @u), true)";

    /// <summary>Up to <paramref name="limit"/> public likers older than <paramref name="after"/> (the newest when null), with the content's count and private likers.</summary>
    public async Task<LikersPage> LikersAsync(long contentId, (long LikedAtMs, long UserId)? after, int limit, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(after is null ? FirstLikersSql : NextLikersSql);
        command.Parameters.Add(new NpgsqlParameter<long>("c", contentId));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        if (after is { } a)
        {
            command.Parameters.Add(new NpgsqlParameter<DateTime>("t", DateTimeOffset.FromUnixTimeMilliseconds(a.LikedAtMs).UtcDateTime));
            command.Parameters.Add(new NpgsqlParameter<long>("u", a.UserId));
        }

        var page = new LikersPage(0, 0, new List<(long, long)>(limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            page = page with { Count = reader.GetInt64(0), PrivateLikers = reader.GetInt64(1) };
            if (!reader.IsDBNull(2))
            {
                page.Likers.Add((reader.GetInt64(2), new DateTimeOffset(reader.GetFieldValue<DateTime>(3)).ToUnixTimeMilliseconds()));
            }
        }

        return page;
    }

    /// <summary>Whether the user's likes show in likers lists (true unless they made them private).</summary>
    public async Task<bool> LikesPublicAsync(long userId, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(LikesPublicSql);
        command.Parameters.Add(new NpgsqlParameter<long>("u", userId));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The count rows that exist among <paramref name="ids"/>; an absent id has no row (nobody ever liked it).</summary>
    public async Task<Dictionary<long, CounterValue>> CountsAsync(long[] ids, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(CountsSql);
        command.Parameters.Add(Ids(ids));
        var counts = new Dictionary<long, CounterValue>(ids.Length);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetInt64(0)] = reader.GetBoolean(3)
                ? new CounterValue(0, reader.GetInt64(2), Deleted: true)
                : new CounterValue(reader.GetInt64(1), reader.GetInt64(2));
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

/// <summary>A page of likers: (user, liked at) newest first, with the count and private likers of the same snapshot.</summary>
public sealed record LikersPage(long Count, long PrivateLikers, List<(long UserId, long LikedAtMs)> Likers);
