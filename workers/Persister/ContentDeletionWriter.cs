using Likes.Shared;
using Likes.Shared.Consuming;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Likes.Persister;

/// <summary>
/// Applies a content deletion. First the mark, in one transaction: the count row's <c>deleted_at</c> and a newer
/// version, so every read answers count 0 and liked false from then on (the Redis counter becomes <c>d:version</c>)
/// and no partition inserts a like of it again (<see cref="LikeWriter"/>). Then its likes go in transactions of at
/// most <see cref="PersisterOptions.UserWideChunk"/> rows, each fenced; the last one moves the position. A crash
/// part-way redoes the event: marking again and deleting what is left change nothing else (I4).
/// </summary>
public sealed partial class ContentDeletionWriter(NpgsqlDataSource postgres, CommittedCounters counters, PersisterMetrics metrics, IOptions<PersisterOptions> options, ILogger<ContentDeletionWriter> logger)
{
    private const string MarkSql = """
        WITH marked AS (
            INSERT INTO content_like_counts AS k (content_id, like_count, version, deleted_at) VALUES (@c, 0, 1, now())
            ON CONFLICT (content_id) DO UPDATE
            SET deleted_at = coalesce(k.deleted_at, now()), version = k.version + 1, updated_at = now(), touched_at = now()
            RETURNING version
        ), requested AS (
            INSERT INTO content_deletions (content_id) VALUES (@c) ON CONFLICT DO NOTHING
        ), changes AS (
            INSERT INTO change_outbox (kind, user_id, content_id, like_count, version) SELECT 'D', 0, @c, 0, version FROM marked
        )
        SELECT version FROM marked
        """;

    private const string ChunkSql = """
        WITH chunk AS (
            SELECT user_id FROM likes WHERE content_id = @c LIMIT @limit
        ), gone AS (
            DELETE FROM likes l USING chunk c WHERE l.user_id = c.user_id AND l.content_id = @c RETURNING l.user_id
        ), unhidden AS (
            DELETE FROM private_likes p USING gone g WHERE p.content_id = @c AND p.user_id = g.user_id
        )
        SELECT count(*)::int FROM gone
        """;

    // The count row keeps no likes of a gone content: 0 of each, a newer version (still shown as deleted).
    private const string FinishSql = """
        WITH finished AS (
            UPDATE content_deletions SET finished_at = coalesce(finished_at, now()) WHERE content_id = @c
        )
        UPDATE content_like_counts SET like_count = 0, private_likers = 0, version = version + 1, updated_at = now()
        WHERE content_id = @c
        RETURNING version
        """;

    private readonly int _chunk = options.Value.UserWideChunk;

    /// <summary>Applies a one-event batch whose event deletes its content.</summary>
    public async Task ApplyAsync(EventBatch batch, CancellationToken cancellationToken)
    {
        var contentId = batch.Events.Single().ContentId;
        await counters.WriteAsync([Gone(contentId, await RunAsync<long>(MarkSql, contentId, StreamPositions.Hold(batch), cancellationToken))]);
        var rows = 0;
        int done;
        do
        {
            done = await RunAsync<int>(ChunkSql, contentId, StreamPositions.Hold(batch), cancellationToken, limit: _chunk);
            rows += done;
            metrics.ContentDeleted(done);
        }
        while (done == _chunk);

        await counters.WriteAsync([Gone(contentId, await RunAsync<long>(FinishSql, contentId, StreamPositions.Advance([batch]), cancellationToken))]);
        Deleted(logger, contentId, rows);
    }

    private static KeyValuePair<long, CounterValue> Gone(long contentId, long version) => new(contentId, new CounterValue(0, version, Deleted: true));

    /// <summary>One fenced transaction: the statement (its one value back), then the position command.</summary>
    private async Task<T> RunAsync<T>(string sql, long contentId, NpgsqlBatchCommand position, CancellationToken cancellationToken, int? limit = null)
    {
        await using var transaction = postgres.CreateBatch();
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<long>("c", contentId));
        if (limit is { } l)
        {
            command.Parameters.Add(new NpgsqlParameter<int>("limit", l));
        }

        transaction.BatchCommands.Add(command);
        transaction.BatchCommands.Add(position);
        await using var reader = await transaction.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var value = reader.GetFieldValue<T>(0);
        // The fence's row: reading it surfaces its refusal (LK001) before the transaction counts as committed.
        await reader.NextResultAsync(cancellationToken);
        return value;
    }

    [LoggerMessage(EventId = 220, Level = LogLevel.Information, Message = "Deleted content {ContentId}: {Rows} likes removed")]
    private static partial void Deleted(ILogger logger, long contentId, int rows);
}
