using System.Diagnostics;
using Likes.Shared;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Likes.Reconciler;

/// <summary>
/// The daily job: the whole of <c>content_like_counts</c> against <c>COUNT(*)</c> of <c>likes</c>, in keyset
/// steps of content ids with a pause between them. A wrong count row is repaired in PostgreSQL first (locked,
/// recounted, version bumped), then its Redis counter follows; and every counter of the step is compared
/// with its row the way the recent job does.
/// </summary>
public sealed partial class FullAudit(
    NpgsqlDataSource postgres,
    CounterCheck check,
    CounterStore counters,
    ReconcilerState state,
    ReconcilerMetrics metrics,
    TimeProvider time,
    IOptions<ReconcilerOptions> options,
    ILogger<FullAudit> logger)
{
    public const string Job = "full";

    private const string WrongRow = "count row differs from COUNT(*)";

    private const string MissingRow = "likes without a count row";

    private const string StepSql = "SELECT content_id FROM content_like_counts WHERE content_id > @after ORDER BY content_id LIMIT @limit";

    // One snapshot sees both tables, and the persister changes rows and counts in one transaction, so a
    // difference here is real, not a write caught half-way. Contents with likes but no count row are found
    // by the FULL JOIN; the last step is open-ended so trailing ones are too.
    private const string CompareSql = """
        WITH stored AS (
            SELECT content_id, like_count FROM content_like_counts WHERE content_id > @after AND content_id <= @upto AND deleted_at IS NULL
        ), actual AS (
            -- A deleted content's likes are being removed by the persister; its count shows 0 whatever they are.
            SELECT content_id, count(*) AS n FROM likes l WHERE content_id > @after AND content_id <= @upto
              AND NOT EXISTS (SELECT 1 FROM content_like_counts d WHERE d.content_id = l.content_id AND d.deleted_at IS NOT NULL)
            GROUP BY content_id
        )
        SELECT coalesce(s.content_id, a.content_id), s.like_count, coalesce(a.n, 0)
        FROM stored s FULL JOIN actual a ON a.content_id = s.content_id
        WHERE s.like_count IS DISTINCT FROM coalesce(a.n, 0)
        ORDER BY 1
        """;

    // A persister transaction moves a content's count row (under its row lock) before it commits that
    // content's likes. Once these locks are held, a transaction with uncommitted likes for these contents
    // either holds a lock already (this waits for its commit, and the recount, a later statement hence a
    // later snapshot under READ COMMITTED, sees its rows) or takes it after this commits and adds its
    // delta on top of a recount that did not see its rows. Either way the recount is exact. Locked in
    // content order, as the persister does.
    private const string LockSql = "SELECT 1 FROM content_like_counts WHERE content_id = ANY(@contents) ORDER BY content_id FOR UPDATE";

    private const string RecountSql = """
        WITH actual AS (
            SELECT c.content_id, (SELECT count(*) FROM likes l WHERE l.content_id = c.content_id) AS n
            FROM unnest(@contents) AS c(content_id)
        )
        UPDATE content_like_counts k SET like_count = a.n, version = k.version + 1, updated_at = now(), touched_at = now()
        FROM actual a
        WHERE k.content_id = a.content_id AND k.like_count <> a.n AND k.deleted_at IS NULL
        RETURNING k.content_id, k.like_count, k.version
        """;

    // A content with likes and no count row. If a persister batch creates the row at the same moment (its
    // upsert of the content's first likes), ours waits for it, yields (DO NOTHING) and is recounted under the
    // lock instead; if ours is first, theirs finds it and adds its delta on top.
    private const string CreateSql = """
        INSERT INTO content_like_counts (content_id, like_count)
        SELECT @content, count(*) FROM likes WHERE content_id = @content
        HAVING count(*) > 0
        ON CONFLICT (content_id) DO NOTHING
        RETURNING content_id, like_count, version
        """;

    public async Task<ReconcileReport> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var report = new ReconcileReport(Job, metrics);
        var started = Stopwatch.GetTimestamp();
        try
        {
            long after = 0;
            while (true)
            {
                var step = await StepAsync(after, o.FullAuditBatch, cancellationToken);
                var upto = step.Count < o.FullAuditBatch ? long.MaxValue : step[^1];
                var mismatches = await CompareAsync(after, upto, cancellationToken);
                var repaired = await RepairPostgresAsync(mismatches, report, cancellationToken);

                // Redis follows the repaired rows (set-if-newer: the bumped version wins over what it held).
                report.AddFollowed(await counters.SetIfNewerAsync(repaired));

                // Every count row of the step, in id order (with the ones just created), so each batch is a range.
                var compared = step.Concat(repaired.Select(r => r.Key)).Distinct().Order().ToList();
                for (var i = 0; i < compared.Count; i += o.BatchSize)
                {
                    await check.CheckAsync(compared.GetRange(i, Math.Min(o.BatchSize, compared.Count - i)), report, consecutive: true, cancellationToken);
                }

                if (upto == long.MaxValue)
                {
                    break;
                }

                after = upto;
                if (o.FullAuditPause > TimeSpan.Zero)
                {
                    await Task.Delay(o.FullAuditPause, time, cancellationToken);
                }
            }

            await state.SucceededAsync(Job, null, cancellationToken);
            report.Complete(Stopwatch.GetElapsedTime(started));
            Finished(logger, report.Checked, report.PostgresDrift, report.PostgresRepaired, report.RedisDrift, report.RedisRepaired, report.Elapsed.TotalMilliseconds);
            return report;
        }
        catch (Exception ex)
        {
            report.Fail(Stopwatch.GetElapsedTime(started));
            RecentReconciliation.Failed(logger, ex, Job, report.Checked);
            throw;
        }
    }

    private async Task<List<long>> StepAsync(long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(StepSql);
        command.Parameters.Add(new NpgsqlParameter<long>("after", after));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var ids = new List<long>(limit);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private async Task<List<(long ContentId, long? Stored, long Actual)>> CompareAsync(long after, long upto, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(CompareSql);
        command.Parameters.Add(new NpgsqlParameter<long>("after", after));
        command.Parameters.Add(new NpgsqlParameter<long>("upto", upto));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new List<(long, long?, long)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1), reader.GetInt64(2)));
        }

        return found;
    }

    /// <summary>Creates the missing count rows and repairs the wrong ones; returns the truth of each row it changed.</summary>
    private async Task<List<KeyValuePair<long, CounterValue>>> RepairPostgresAsync(
        List<(long ContentId, long? Stored, long Actual)> mismatches, ReconcileReport report, CancellationToken cancellationToken)
    {
        var truth = new List<KeyValuePair<long, CounterValue>>();
        var recount = new List<(long ContentId, long? Stored, long Actual)>();
        foreach (var mismatch in mismatches)
        {
            if (mismatch.Stored is not null)
            {
                recount.Add(mismatch);
                continue;
            }

            await using var create = postgres.CreateCommand(CreateSql);
            create.Parameters.Add(new NpgsqlParameter<long>("content", mismatch.ContentId));
            await using var reader = await create.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                var value = new CounterValue(reader.GetInt64(1), reader.GetInt64(2));
                report.AddDrift(new Finding(mismatch.ContentId, Stores.Postgres, MissingRow, "no row", $"{value.Count} (version {value.Version})", true));
                truth.Add(new(mismatch.ContentId, value));
            }
            else
            {
                // A persister batch created the row meanwhile, from zero: recount it under the lock like a wrong one.
                recount.Add(mismatch);
            }
        }

        if (recount.Count == 0)
        {
            return truth;
        }

        var contents = recount.Select(m => m.ContentId).Order().ToArray();
        var fixedRows = new Dictionary<long, CounterValue>();
        await using (var connection = await postgres.OpenConnectionAsync(cancellationToken))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await using (var lockRows = new NpgsqlCommand(LockSql, connection, transaction))
            {
                lockRows.Parameters.Add(Contents(contents));
                await lockRows.ExecuteNonQueryAsync(cancellationToken);
            }

            await using (var update = new NpgsqlCommand(RecountSql, connection, transaction))
            {
                update.Parameters.Add(Contents(contents));
                await using var reader = await update.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    fixedRows[reader.GetInt64(0)] = new CounterValue(reader.GetInt64(1), reader.GetInt64(2));
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var (contentId, stored, actual) in recount)
        {
            // Not changed by the recount: a commit in between had already put the row right.
            var repaired = fixedRows.TryGetValue(contentId, out var value);
            report.AddDrift(new Finding(contentId, Stores.Postgres, stored is null ? MissingRow : WrongRow,
                stored is null ? "no row" : $"{stored}", repaired ? $"{value.Count} (version {value.Version})" : $"{actual}", repaired));
            if (repaired)
            {
                truth.Add(new(contentId, value));
            }
        }

        return truth;
    }

    private static NpgsqlParameter<long[]> Contents(long[] contents)
        => new("contents", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = contents };

    [LoggerMessage(EventId = 410, Level = LogLevel.Information,
        Message = "Full audit checked {Checked} contents: {PostgresDrift} count rows wrong, {PostgresRepaired} repaired; {RedisDrift} Redis counters wrong, {RedisRepaired} repaired, in {ElapsedMs:F0} ms")]
    private static partial void Finished(ILogger logger, long @checked, long postgresDrift, long postgresRepaired, long redisDrift, long redisRepaired, double elapsedMs);
}
