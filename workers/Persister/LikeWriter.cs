using Likes.Shared;
using Likes.Shared.Consuming;
using Likes.Shared.Events;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Likes.Persister;

/// <summary>
/// Writes a collapsed batch to PostgreSQL in one transaction and one round trip: unlikes deleted and likes
/// inserted with arrays (<c>unnest</c>; a like whose row exists is named as a duplicate, with the row's time), the count rows moved (in content order) by exactly what <c>RETURNING</c> says changed,
/// the partition's stream position recorded, then the absolute counts of every touched content read back. Replaying it changes nothing (I4): a
/// like already there inserts nothing, an unlike of nothing deletes nothing, so no count moves. A like or unlike of a
/// deleted content changes nothing (its deletion removes its likes); the likes of a private user are mirrored in <c>private_likes</c> and counted in the count
/// row's <c>private_likers</c>, in the same transaction.
/// </summary>
public sealed class LikeWriter(NpgsqlDataSource postgres, IOptions<PersisterOptions> options)
{
    // The count rows move in one upsert, in content order: writers that commit at once lock shared rows in
    // the same order and never deadlock, and a content's first like creates its row. CHECK (like_count >= 0)
    // is evaluated on the proposed row before the conflict is found, so the delta (negative for unlikes)
    // travels in the proposed version; a count never goes below 0 (drift the reconciler repairs, not the events').
    private const string ApplySql = """
        WITH unliked AS (
            DELETE FROM likes l
            USING unnest(@unlike_users, @unlike_contents) AS d(user_id, content_id)
            WHERE l.user_id = d.user_id AND l.content_id = d.content_id
              AND NOT EXISTS (SELECT 1 FROM content_like_counts k WHERE k.content_id = d.content_id AND k.deleted_at IS NOT NULL)
            RETURNING l.user_id, l.content_id
        ), inserted AS (
            -- A like whose row exists changes nothing: the no-op update (same time) only makes RETURNING
            -- name it, with the existing like's time, so the persister can tell whether Redis has it.
            INSERT INTO likes (user_id, content_id, created_at)
            SELECT user_id, content_id, to_timestamp(at_ms / 1000.0)
            FROM unnest(@like_users, @like_contents, @like_times) AS i(user_id, content_id, at_ms)
            WHERE NOT EXISTS (SELECT 1 FROM content_like_counts k WHERE k.content_id = i.content_id AND k.deleted_at IS NOT NULL)
            ON CONFLICT (user_id, content_id) DO UPDATE SET created_at = likes.created_at
            RETURNING user_id, content_id, created_at, xmax = 0 AS is_new
        ), duplicates AS (
            SELECT user_id, content_id, (extract(epoch FROM created_at) * 1000)::bigint AS at_ms FROM inserted WHERE NOT is_new
        ), relikes AS (
            -- A re-like (the batch unliked the pair first) takes the new like's time; only a new row counts.
            INSERT INTO likes (user_id, content_id, created_at)
            SELECT user_id, content_id, to_timestamp(at_ms / 1000.0)
            FROM unnest(@relike_users, @relike_contents, @relike_times) AS i(user_id, content_id, at_ms)
            WHERE NOT EXISTS (SELECT 1 FROM content_like_counts k WHERE k.content_id = i.content_id AND k.deleted_at IS NOT NULL)
            ON CONFLICT (user_id, content_id) DO UPDATE SET created_at = excluded.created_at
            RETURNING user_id, content_id, xmax = 0 AS is_new
        ), liked AS (
            SELECT user_id, content_id FROM inserted WHERE is_new
            UNION ALL SELECT user_id, content_id FROM relikes WHERE is_new
        ), hidden AS (
            -- The likes of a user whose likes are private are mirrored in private_likes, in the same transaction.
            INSERT INTO private_likes (content_id, user_id)
            SELECT l.content_id, l.user_id FROM liked l JOIN user_settings s ON s.user_id = l.user_id AND NOT s.likes_public
            ON CONFLICT DO NOTHING
            RETURNING content_id
        ), unhidden AS (
            DELETE FROM private_likes p USING unliked u
            WHERE p.content_id = u.content_id AND p.user_id = u.user_id
            RETURNING p.content_id
        ), deltas AS (
            SELECT content_id, sum(delta) AS delta, sum(hidden) AS hidden
            FROM (SELECT content_id, -1 AS delta, 0 AS hidden FROM unliked
                  UNION ALL SELECT content_id, 1, 0 FROM liked
                  UNION ALL SELECT content_id, 0, 1 FROM hidden
                  UNION ALL SELECT content_id, 0, -1 FROM unhidden) AS changes
            GROUP BY content_id
            HAVING sum(delta) <> 0 OR sum(hidden) <> 0
        ), updated AS (
            INSERT INTO content_like_counts AS k (content_id, like_count, version, private_likers)
            SELECT content_id, greatest(delta, 0), delta, hidden FROM deltas ORDER BY content_id
            ON CONFLICT (content_id) DO UPDATE
            SET like_count = greatest(k.like_count + excluded.version, 0), version = k.version + 1, updated_at = now(),
                private_likers = greatest(k.private_likers + excluded.private_likers, 0),
                touched_at = CASE WHEN k.touched_at < now() - @touched_resolution THEN now() ELSE k.touched_at END
            RETURNING content_id, like_count, version
        ), changes AS (
            -- The change stream's outbox: each like and unlike that happened, with its content's count and version
            -- after the transaction (a content whose count did not move keeps the row this statement started from).
            INSERT INTO change_outbox (kind, user_id, content_id, like_count, version)
            SELECT c.kind, c.user_id, c.content_id, coalesce(u.like_count, k.like_count, 0), coalesce(u.version, k.version, 0)
            FROM (SELECT 'L' AS kind, user_id, content_id FROM liked UNION ALL SELECT 'U', user_id, content_id FROM unliked) AS c
            LEFT JOIN updated u ON u.content_id = c.content_id
            LEFT JOIN content_like_counts k ON k.content_id = c.content_id
            ORDER BY c.content_id, c.user_id
        )
        SELECT (SELECT count(*) FROM liked)::int, (SELECT count(*) FROM unliked)::int, (SELECT count(*) FROM updated)::int,
               array(SELECT user_id FROM duplicates), array(SELECT content_id FROM duplicates), array(SELECT at_ms FROM duplicates)
        """;

    // A row the upsert created from an unlike (its likes were there without a count row) took the delta as its
    // version (and private_likers its own): it starts at 1 instead, above the ghost's 0, so its counter can be written.
    private const string FirstVersionSql = """
        UPDATE content_like_counts SET version = 1, private_likers = greatest(private_likers, 0)
        WHERE content_id = ANY(@contents) AND version < 1
        """;

    // As three arrays in one row: thousands of rows cost the reader far more than the same numbers in arrays.
    private const string CountsSql = """
        SELECT coalesce(array_agg(content_id), '{}'), coalesce(array_agg(like_count), '{}'), coalesce(array_agg(version), '{}'),
               coalesce(array_agg(deleted_at IS NOT NULL), '{}')
        FROM content_like_counts WHERE content_id = ANY(@contents)
        """;

    /// <summary>
    /// Writes one or more partitions' batches in one transaction. Their pairs never overlap (a user belongs
    /// to one partition), so collapsing each and concatenating is the same as collapsing them together.
    /// </summary>
    public async Task<PersistOutcome> WriteAsync(IReadOnlyList<EventBatch> batches, CancellationToken cancellationToken)
    {
        var changes = batches.SelectMany(b => BatchCollapser.Collapse(b.Events)).ToList();
        var likes = changes.Where(c => c.Action == LikeAction.Like && !c.Relike).ToList();
        var relikes = changes.Where(c => c.Relike).ToList();
        var unlikes = changes.Where(c => c.Action == LikeAction.Unlike).ToList();
        var contents = changes.Select(c => c.ContentId).Distinct().ToArray();

        // Without an explicit transaction Npgsql runs a batch in one implicit transaction: atomic, one round trip.
        await using var batch = postgres.CreateBatch();
        var apply = new NpgsqlBatchCommand(ApplySql);
        apply.Parameters.Add(Array("unlike_users", unlikes.Select(c => c.UserId)));
        apply.Parameters.Add(Array("unlike_contents", unlikes.Select(c => c.ContentId)));
        apply.Parameters.Add(Array("like_users", likes.Select(c => c.UserId)));
        apply.Parameters.Add(Array("like_contents", likes.Select(c => c.ContentId)));
        apply.Parameters.Add(Array("like_times", likes.Select(c => c.AtMs)));
        apply.Parameters.Add(Array("relike_users", relikes.Select(c => c.UserId)));
        apply.Parameters.Add(Array("relike_contents", relikes.Select(c => c.ContentId)));
        apply.Parameters.Add(Array("relike_times", relikes.Select(c => c.AtMs)));
        apply.Parameters.Add(new NpgsqlParameter<TimeSpan>("touched_resolution", options.Value.TouchedAtResolution));
        batch.BatchCommands.Add(apply);
        batch.BatchCommands.Add(StreamPositions.Advance(batches));
        var firstVersion = new NpgsqlBatchCommand(FirstVersionSql);
        firstVersion.Parameters.Add(Array("contents", contents));
        batch.BatchCommands.Add(firstVersion);
        var read = new NpgsqlBatchCommand(CountsSql);
        read.Parameters.Add(Array("contents", contents));
        batch.BatchCommands.Add(read);

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var inserted = reader.GetInt32(0);
        var deleted = reader.GetInt32(1);
        var duplicateUsers = reader.GetFieldValue<long[]>(3);
        var duplicateContents = reader.GetFieldValue<long[]>(4);
        var duplicateTimes = reader.GetFieldValue<long[]>(5);
        var duplicates = new DuplicateLike[duplicateUsers.Length];
        for (var i = 0; i < duplicates.Length; i++)
        {
            duplicates[i] = new DuplicateLike(duplicateUsers[i], duplicateContents[i], duplicateTimes[i]);
        }

        // The position function returns one row (void), the first versions none: then the counts.
        await reader.NextResultAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var countedContents = reader.GetFieldValue<long[]>(0);
        var likeCounts = reader.GetFieldValue<long[]>(1);
        var versions = reader.GetFieldValue<long[]>(2);
        var contentDeleted = reader.GetFieldValue<bool[]>(3);
        var counts = new List<KeyValuePair<long, CounterValue>>(countedContents.Length);
        for (var i = 0; i < countedContents.Length; i++)
        {
            counts.Add(new(countedContents[i], new CounterValue(likeCounts[i], versions[i], contentDeleted[i])));
        }

        return new PersistOutcome(inserted, deleted, counts, duplicates);
    }

    internal static NpgsqlParameter<long[]> Array(string name, IEnumerable<long> values)
        => new(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = values.ToArray() };
}
