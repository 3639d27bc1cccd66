using Likes.Shared.Reheating;
using Dapper;
using Likes.Reheater;
using Likes.Shared;
using Npgsql;
using NpgsqlTypes;

namespace Likes.Bench.Workload;

/// <summary>
/// Puts a like graph into a stack the way the system itself would have built it, without a stream replay:
/// the rows into PostgreSQL (binary COPY) with their exact count rows; every content's counter into Redis
/// with the persister's own write (absolute count and version, set if newer); and the timelines of the
/// active users with the reheater's own rebuild from PostgreSQL (without a rebuilder, the caller builds them). Inactive
/// users have no timeline, as after their idle expiry. Only the graph's content range is counted, so a graph can join
/// a database that holds other likes.
/// </summary>
public sealed class LikeGraphLoader(NpgsqlDataSource postgres, CounterStore counters, TimelineRebuilder? rebuilder)
{
    private const int CounterChunk = 5_000;
    private const int RebuildsInFlight = 8;

    public async Task<LoadFigures> LoadAsync(LikeGraph graph, Action<string> progress, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var (first, last) = (graph.IdOfContent(0), graph.IdOfContent(graph.Shape.Contents - 1));
        progress($"copying {graph.Likes:N0} likes into PostgreSQL");
        await using (var connection = await postgres.OpenConnectionAsync(ct))
        {
            await using (var copy = await connection.BeginBinaryImportAsync("COPY likes (user_id, content_id, created_at) FROM STDIN (FORMAT BINARY)", ct))
            {
                foreach (var (user, content, at) in graph.Rows())
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(user, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(content, NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(DateTime.UnixEpoch.AddMilliseconds(at), NpgsqlDbType.TimestampTz, ct);
                }

                await copy.CompleteAsync(ct);
            }

            progress("counting likes per content into content_like_counts");
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO content_like_counts (content_id, like_count)
                SELECT content_id, count(*) FROM likes WHERE content_id BETWEEN @first AND @last GROUP BY content_id;
                """, new { first, last }, cancellationToken: ct, commandTimeout: 600));

            // Vacuumed as well as analyzed before anything is measured: otherwise autovacuum (its insert threshold) takes
            // the bulk load up during the measured load, a third of a core here. VACUUM runs outside a transaction: alone.
            progress("vacuuming and analyzing what was loaded");
            await connection.ExecuteAsync(new CommandDefinition("VACUUM (ANALYZE) likes, content_like_counts", cancellationToken: ct, commandTimeout: 600));
        }

        var copied = started.Elapsed;
        progress("writing every content's counter to Redis");
        var written = 0;
        await using (var connection = await postgres.OpenConnectionAsync(ct))
        {
            var rows = await connection.QueryAsync<(long Content, long Count, long Version)>(
                "SELECT content_id, like_count, version FROM content_like_counts WHERE content_id BETWEEN @first AND @last", new { first, last });
            foreach (var chunk in rows.Chunk(CounterChunk))
            {
                written += await counters.SetIfNewerAsync([.. chunk.Select(r => KeyValuePair.Create(r.Content, new CounterValue(r.Count, r.Version)))]);
            }
        }

        if (rebuilder is null)
        {
            return new LoadFigures(copied.TotalSeconds, started.Elapsed.TotalSeconds, written, 0, 0);
        }

        progress("rebuilding the active users' timelines with the reheater");
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<RebuildOutcome, int>();
        await Parallel.ForEachAsync(graph.ActiveUsers, new ParallelOptions { MaxDegreeOfParallelism = RebuildsInFlight, CancellationToken = ct }, async (user, token) =>
        {
            var outcome = await rebuilder.RebuildAsync(new ReheatRequest(graph.IdOfUser(user)), token);
            outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
        });

        return new LoadFigures(copied.TotalSeconds, started.Elapsed.TotalSeconds, written, outcomes.GetValueOrDefault(RebuildOutcome.Rebuilt), outcomes.Values.Sum());
    }
}

/// <param name="CopySeconds">Rows and count rows into PostgreSQL.</param>
/// <param name="Seconds">Everything, counters and timelines included.</param>
public sealed record LoadFigures(double CopySeconds, double Seconds, int Counters, int TimelinesRebuilt, int TimelinesAsked);
