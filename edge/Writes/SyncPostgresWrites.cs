using Likes.Shared.Events;
using Npgsql;

namespace Likes.Edge.Writes;

/// <summary>
/// <see cref="WritePath.Postgres"/>: the write path teams pick instead of a stream (Mastodon, Lemmy and Misskey
/// do this). One statement per request, so one transaction: the row inserted (<c>ON CONFLICT DO NOTHING</c>) or
/// deleted, and the count row moved by what that changed; answered after the commit. Every like of one content
/// waits for its count row's lock. An Idempotency-Key is validated but not kept: a repeated like changes nothing anyway.
/// </summary>
public sealed partial class SyncPostgresWrites(NpgsqlDataSource postgres, ILogger<SyncPostgresWrites> log) : ILikeWrites
{
    private const string LikeSql = """
        WITH liked AS (
            INSERT INTO likes (user_id, content_id, created_at) VALUES ($1, $2, now())
            ON CONFLICT (user_id, content_id) DO NOTHING
            RETURNING content_id
        )
        INSERT INTO content_like_counts AS k (content_id, like_count)
        SELECT content_id, 1 FROM liked
        ON CONFLICT (content_id) DO UPDATE SET like_count = k.like_count + 1, version = k.version + 1, updated_at = now()
        """;

    private const string UnlikeSql = """
        WITH unliked AS (
            DELETE FROM likes WHERE user_id = $1 AND content_id = $2
            RETURNING content_id
        )
        UPDATE content_like_counts AS k SET like_count = k.like_count - 1, version = k.version + 1, updated_at = now()
        FROM unliked WHERE k.content_id = unliked.content_id
        """;

    public async Task<PublishOutcome> WriteAsync(long userId, long contentId, LikeAction action, string? idempotencyKey, CancellationToken requestAborted)
    {
        try
        {
            await using var command = postgres.CreateCommand(action == LikeAction.Like ? LikeSql : UnlikeSql);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = userId });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = contentId });
            await command.ExecuteNonQueryAsync(requestAborted);
            return PublishOutcome.Accepted;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !requestAborted.IsCancellationRequested)
        {
            WriteFailed(log, ex);
            return PublishOutcome.Unavailable;
        }
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "A synchronous PostgreSQL write failed; answering 503")]
    private static partial void WriteFailed(ILogger logger, Exception exception);
}
