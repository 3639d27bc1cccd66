using Likes.Shared;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using StackExchange.Redis;

namespace Likes.Reconciler;

/// <summary>
/// Compares the Redis counters of a set of contents with their PostgreSQL count rows and repairs what is
/// really drift. The order is the whole trick: Redis is read first (one pipelined round trip), PostgreSQL
/// after (one query), so a write that lands in between can only make PostgreSQL look newer, which is lag,
/// never make Redis look newer, which would be drift (docs/reconciler.md).
/// </summary>
public sealed class CounterCheck(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    CounterStore counters,
    NpgsqlDataSource postgres,
    IOptions<ReconcilerOptions> options)
{
    private const string RowsSql = """
        SELECT content_id, like_count, version, now() - updated_at >= @grace, deleted_at IS NOT NULL
        FROM content_like_counts WHERE content_id = ANY(@contents)
        """;

    // For a run of consecutive count rows (the full audit's steps): one index range scan. With ANY of a thousand
    // ids the planner reads the whole table once per batch when it is small enough (measured: 100 sequential
    // scans of 100k rows for one audit), which grows with the square of the table.
    private const string RangeSql = """
        SELECT content_id, like_count, version, now() - updated_at >= @grace, deleted_at IS NOT NULL
        FROM content_like_counts WHERE content_id BETWEEN @first AND @last
        """;

    /// <param name="contentIds">The contents to compare.</param>
    /// <param name="report">Where findings are counted.</param>
    /// <param name="consecutive">The ids are every count row between the first and the last, in order (read them as a range).</param>
    /// <param name="cancellationToken">Ends the check between round trips.</param>
    public async Task CheckAsync(IReadOnlyList<long> contentIds, ReconcileReport report, bool consecutive, CancellationToken cancellationToken)
    {
        if (contentIds.Count == 0)
        {
            return;
        }

        var cached = await ReadRedisAsync(contentIds);
        var rows = consecutive
            ? (await ReadRangeAsync(contentIds[0], contentIds[^1], cancellationToken)).Where(r => cached.ContainsKey(r.ContentId)).ToList()
            : await ReadRowsAsync(contentIds, cancellationToken);

        var lagging = new List<KeyValuePair<long, CounterValue>>();
        var lost = new List<(CountRow Row, string Found)>();
        var replace = new List<(CountRow Row, string Found, CounterVerdict Verdict)>();
        var compared = 0;
        foreach (var row in rows)
        {
            compared++;
            var found = cached[row.ContentId];
            var verdict = CounterVerdicts.Classify(found, row);
            switch (verdict.RepairOf())
            {
                case CounterRepair.ReadThrough:
                    report.AddMissing(1);
                    break;
                case CounterRepair.MoveForward:
                    lagging.Add(new(row.ContentId, row.Value));
                    break;
                case CounterRepair.Restore:
                    lost.Add((row, found!));
                    break;
                case CounterRepair.Replace:
                    replace.Add((row, found!, verdict));
                    break;
            }
        }

        report.AddChecked(compared);

        // Behind is moved forward with set-if-newer, exactly as the persister writes: it can only win over older.
        var forwarded = await SetIfNewerEachAsync(lagging);
        for (var i = 0; i < lagging.Count; i++)
        {
            report.AddLag(forwarded[i] ? 1 : 0);
        }

        var restored = await SetIfNewerEachAsync(lost.Select(l => new KeyValuePair<long, CounterValue>(l.Row.ContentId, l.Row.Value)).ToList());
        for (var i = 0; i < lost.Count; i++)
        {
            report.AddDrift(new Finding(lost[i].Row.ContentId, Stores.Redis, CounterVerdict.LostWrite.Describe(), lost[i].Found, lost[i].Row.Value.ToString(), restored[i]));
        }

        // What Redis cannot legitimately hold is replaced only if it still holds exactly what was read.
        var swaps = await Task.WhenAll(replace.Select(r => counters.ReplaceIfUnchangedAsync(r.Row.ContentId, r.Found, r.Row.Value)));
        var swapped = new List<long>();
        for (var i = 0; i < replace.Count; i++)
        {
            var (row, found, verdict) = replace[i];
            report.AddDrift(new Finding(row.ContentId, Stores.Redis, verdict.Describe(), found, row.Value.ToString(), swaps[i]));
            if (swaps[i])
            {
                swapped.Add(row.ContentId);
            }
        }

        // A replaced counter may hold a version older than the row by now (a commit whose own write lost to the
        // bogus version just replaced): bring those forward at once rather than at the next run.
        if (swapped.Count > 0)
        {
            var now = await ReadRowsAsync(swapped, cancellationToken);
            await counters.SetIfNewerAsync(now.Select(r => new KeyValuePair<long, CounterValue>(r.ContentId, r.Value)).ToList());
        }
    }

    /// <summary>Reads the counters of the contents, one HMGET per bucket, pipelined in one round trip.</summary>
    private async Task<Dictionary<long, string?>> ReadRedisAsync(IReadOnlyList<long> contentIds)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var reads = CounterStore.Read(batch, keys, contentIds);
        batch.Execute();
        var read = await reads;
        var values = new Dictionary<long, string?>(contentIds.Count);
        for (var i = 0; i < contentIds.Count; i++)
        {
            values[contentIds[i]] = read[i];
        }

        return values;
    }

    private async Task<List<CountRow>> ReadRowsAsync(IReadOnlyCollection<long> contentIds, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(RowsSql);
        command.Parameters.Add(new NpgsqlParameter<long[]>("contents", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. contentIds] });
        return await ReadAsync(command, contentIds.Count, cancellationToken);
    }

    private async Task<List<CountRow>> ReadRangeAsync(long first, long last, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(RangeSql);
        command.Parameters.Add(new NpgsqlParameter<long>("first", first));
        command.Parameters.Add(new NpgsqlParameter<long>("last", last));
        return await ReadAsync(command, 0, cancellationToken);
    }

    private async Task<List<CountRow>> ReadAsync(NpgsqlCommand command, int expected, CancellationToken cancellationToken)
    {
        command.Parameters.Add(new NpgsqlParameter<TimeSpan>("grace", NpgsqlDbType.Interval) { TypedValue = options.Value.Grace });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<CountRow>(expected);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new CountRow(reader.GetInt64(0), new CounterValue(reader.GetInt64(1), reader.GetInt64(2), reader.GetBoolean(4)), reader.GetBoolean(3)));
        }

        return rows;
    }

    /// <summary>Set-if-newer per counter, pipelined, saying which ones were written.</summary>
    private async Task<bool[]> SetIfNewerEachAsync(IReadOnlyList<KeyValuePair<long, CounterValue>> values)
    {
        var writes = values.Select(v => counters.SetIfNewerAsync([v])).ToArray();
        var written = await Task.WhenAll(writes);
        return [.. written.Select(w => w == 1)];
    }
}
