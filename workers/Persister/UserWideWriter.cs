using Likes.Shared;
using Likes.Shared.Consuming;
using Likes.Shared.Events;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Likes.Persister;

/// <summary>
/// Applies an event that changes every like of one user (erase, hide, show) in transactions of at most
/// <see cref="PersisterOptions.UserWideChunk"/> likes, in content order, so a user with a million likes never holds
/// a million count rows locked nor stalls the partitions committing beside it. Each transaction is fenced
/// (<see cref="StreamPositions.Hold"/>) and moves the counts by exactly the rows it changed; the position moves after
/// the last, so a crash part-way redoes the event, and what was done changes nothing the second time (I4).
/// </summary>
public sealed partial class UserWideWriter(NpgsqlDataSource postgres, CommittedCounters counters, PersisterMetrics metrics, IOptions<PersisterOptions> options, ILogger<UserWideWriter> logger)
{
    // The counts of the erased likes' contents go down by one each (a missing count row is drift: created at 0).
    private const string EraseSql = """
        WITH chunk AS (
            SELECT content_id FROM likes WHERE user_id = @u AND content_id > @from ORDER BY content_id LIMIT @limit
        ), gone AS (
            DELETE FROM likes l USING chunk c WHERE l.user_id = @u AND l.content_id = c.content_id RETURNING l.content_id
        ), unhidden AS (
            DELETE FROM private_likes p USING gone g WHERE p.content_id = g.content_id AND p.user_id = @u RETURNING p.content_id
        ), updated AS (
            INSERT INTO content_like_counts AS k (content_id, like_count, version, private_likers)
            SELECT g.content_id, 0, 1, -(h.content_id IS NOT NULL)::int FROM gone g LEFT JOIN unhidden h USING (content_id)
            ORDER BY g.content_id
            ON CONFLICT (content_id) DO UPDATE
            SET like_count = greatest(k.like_count - 1, 0), version = k.version + 1, updated_at = now(), touched_at = now(),
                private_likers = greatest(k.private_likers + excluded.private_likers, 0)
            RETURNING content_id, like_count, version
        ), changes AS (
            INSERT INTO change_outbox (kind, user_id, content_id, like_count, version)
            SELECT 'E', @u, content_id, like_count, version FROM updated ORDER BY content_id
        )
        SELECT (SELECT count(*) FROM chunk)::int, coalesce((SELECT max(content_id) FROM chunk), 0),
               coalesce(array(SELECT content_id FROM updated), '{}'), coalesce(array(SELECT like_count FROM updated), '{}'),
               coalesce(array(SELECT version FROM updated), '{}')
        """;

    // Hide mirrors the user's likes into private_likes, show removes them; either moves private_likers, never a count.
    private const string PrivacySql = """
        WITH setting AS (
            INSERT INTO user_settings (user_id, likes_public) VALUES (@u, @public)
            ON CONFLICT (user_id) DO UPDATE SET likes_public = excluded.likes_public, updated_at = now()
        ), chunk AS (
            SELECT content_id FROM likes WHERE user_id = @u AND content_id > @from ORDER BY content_id LIMIT @limit
        ), hidden AS (
            INSERT INTO private_likes (content_id, user_id) SELECT content_id, @u FROM chunk WHERE NOT @public
            ON CONFLICT DO NOTHING RETURNING content_id, 1 AS delta
        ), shown AS (
            DELETE FROM private_likes p USING chunk c WHERE @public AND p.content_id = c.content_id AND p.user_id = @u
            RETURNING p.content_id, -1 AS delta
        ), updated AS (
            -- In content order, the lock order of every writer of count rows (LikeWriter).
            INSERT INTO content_like_counts AS k (content_id, like_count, version, private_likers)
            SELECT content_id, 0, 1, delta FROM (SELECT content_id, delta FROM hidden UNION ALL SELECT content_id, delta FROM shown) AS m
            ORDER BY content_id
            ON CONFLICT (content_id) DO UPDATE SET private_likers = greatest(k.private_likers + excluded.private_likers, 0)
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM chunk)::int, coalesce((SELECT max(content_id) FROM chunk), 0),
               (SELECT count(*) FROM updated)::int
        """;

    private readonly int _chunk = options.Value.UserWideChunk;

    /// <summary>Applies a one-event batch whose event changes every like of its user.</summary>
    public async Task ApplyAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        var e = batch.Events.Single();
        long from = 0;
        var rows = 0;
        while (true)
        {
            await using var transaction = postgres.CreateBatch();
            var change = new NpgsqlBatchCommand(e.Action == LikeAction.Erase ? EraseSql : PrivacySql);
            change.Parameters.Add(new NpgsqlParameter<long>("u", e.UserId));
            change.Parameters.Add(new NpgsqlParameter<long>("from", from));
            change.Parameters.Add(new NpgsqlParameter<int>("limit", _chunk));
            if (e.Action != LikeAction.Erase)
            {
                change.Parameters.Add(new NpgsqlParameter<bool>("public", e.Action == LikeAction.Show));
            }

            transaction.BatchCommands.Add(change);
            transaction.BatchCommands.Add(StreamPositions.Hold(batch));
            var (done, last, counts) = await ReadChunkAsync(transaction, e.Action, cancellationToken);
            rows += done;
            metrics.UserWide(e.Action, done);
            await counters.WriteAsync(counts);
            if (done < _chunk)
            {
                break;
            }

            from = last;
        }

        await using var advance = postgres.CreateBatch();
        advance.BatchCommands.Add(StreamPositions.Advance([batch]));
        await advance.ExecuteNonQueryAsync(cancellationToken);
        Applied(logger, e.Action, e.UserId, rows);
    }

    private static async Task<(int Rows, long Last, List<KeyValuePair<long, CounterValue>> Counts)> ReadChunkAsync(NpgsqlBatch transaction, LikeAction action, CancellationToken cancellationToken)
    {
        await using var reader = await transaction.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var rows = reader.GetInt32(0);
        var last = reader.GetInt64(1);
        var counts = new List<KeyValuePair<long, CounterValue>>();
        if (action == LikeAction.Erase)
        {
            var contents = reader.GetFieldValue<long[]>(2);
            var likeCounts = reader.GetFieldValue<long[]>(3);
            var versions = reader.GetFieldValue<long[]>(4);
            for (var i = 0; i < contents.Length; i++)
            {
                counts.Add(new(contents[i], new CounterValue(likeCounts[i], versions[i])));
            }
        }

        // The fence's row: reading it surfaces its refusal (LK001) before the transaction counts as committed.
        await reader.NextResultAsync(cancellationToken);
        return (rows, last, counts);
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Applied {Action} of every like of user {UserId}: {Rows} likes")]
    private static partial void Applied(ILogger logger, LikeAction action, long userId, int rows);
}
