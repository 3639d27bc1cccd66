using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Likes.Reconciler;

/// <summary>
/// The frequent job: every content whose count row changed since the last successful run (minus a safety
/// margin), Redis counter against PostgreSQL count, in batches; drift is repaired, lag is only counted. Then a sample
/// of timelines against PostgreSQL (<see cref="TimelineAudit"/>).
/// The Quartz job and <c>reconcile</c> both call <see cref="RunAsync"/>.
/// </summary>
public sealed partial class RecentReconciliation(
    NpgsqlDataSource postgres,
    CounterCheck check,
    TimelineAudit timelines,
    ReconcilerState state,
    ReconcilerMetrics metrics,
    IOptions<ReconcilerOptions> options,
    ILogger<RecentReconciliation> logger)
{
    public const string Job = "recent";

    // Keyset over content ids: a content touched again during the run keeps its id, so it is seen once.
    private const string TouchedSql = """
        SELECT content_id FROM content_like_counts
        WHERE touched_at > @since AND content_id > @after
        ORDER BY content_id LIMIT @limit
        """;

    public async Task<ReconcileReport> RunAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var report = new ReconcileReport(Job, metrics);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (now, watermark) = await state.BeginAsync(Job, cancellationToken);
            var since = watermark is { } w ? w - o.WatermarkMargin : now - o.FirstRunLookback;
            report.Since = since;
            long after = 0;
            while (true)
            {
                var touched = await TouchedAsync(since, after, o.BatchSize, cancellationToken);
                await check.CheckAsync(touched, report, consecutive: false, cancellationToken);
                if (touched.Count < o.BatchSize)
                {
                    break;
                }

                after = touched[^1];
            }

            await timelines.CheckAsync(await timelines.SampleAsync(o.TimelineSample, cancellationToken), report, cancellationToken);

            await state.SucceededAsync(Job, now, cancellationToken);
            report.Complete(Stopwatch.GetElapsedTime(started));
            Finished(logger, Job, report.Checked, report.RedisDrift, report.RedisRepaired, report.Lag, report.Elapsed.TotalMilliseconds);
            return report;
        }
        catch (Exception ex)
        {
            report.Fail(Stopwatch.GetElapsedTime(started));
            Failed(logger, ex, Job, report.Checked);
            throw;
        }
    }

    private async Task<List<long>> TouchedAsync(DateTimeOffset since, long after, int limit, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand(TouchedSql);
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("since", since));
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

    [LoggerMessage(EventId = 400, Level = LogLevel.Information,
        Message = "Reconcile {Job} checked {Checked} contents: {Drift} drifted in Redis, {Repaired} repaired, {Lag} lagging in {ElapsedMs:F0} ms")]
    internal static partial void Finished(ILogger logger, string job, long @checked, long drift, long repaired, long lag, double elapsedMs);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Reconcile {Job} failed after checking {Checked} contents")]
    internal static partial void Failed(ILogger logger, Exception exception, string job, long @checked);
}
