using System.Diagnostics;
using Likes.Fixtures;
using Likes.Persister;
using Likes.Shared.Events;
using Likes.Shared.Partitioning;
using Npgsql;
using NpgsqlTypes;

namespace Likes.Bench.Scenarios;

/// <summary>
/// The persister draining a backlog, against the raw batched-insert rate of the same rows into the same
/// schema, measured in one run. Both run on private copies (a fresh stream and database) of the real servers.
/// </summary>
public sealed class PersistScenario(int events, int batchSize)
{
    public async Task<PersistFigures> RunAsync(Action<string> progress, CancellationToken ct)
    {
        var likes = Backlog();
        await using var stack = new BenchStack();
        await stack.InitializeAsync();

        progress($"persist: publishing a backlog of {events:N0} likes");
        var publisher = new EventPublisher(stack.JetStream, stack.Stream);
        await publisher.PublishManyAsync(likes, cancellationToken: ct);

        var config = stack.Configuration();
        config["Consumer:BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        config["Consumer:BatchWindow"] = "00:00:00.050";
        progress("persist: draining it with the persister");
        var drain = Stopwatch.StartNew();
        await using (var persister = await DaemonHost.StartAsync("persister", b => b.AddPersister(), config))
        {
            await Eventually.UntilAsync(async () => await publisher.PendingAsync("persister") == 0, TimeSpan.FromMinutes(10), "persister drained");
            using var http = new HttpClient { BaseAddress = persister.BaseAddress };
            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), ct);
            foreach (var line in metrics.Split('\n').Where(l => l.StartsWith("likes_persister_transaction_seconds_sum", StringComparison.Ordinal)
                || l.StartsWith("likes_persister_transaction_seconds_count", StringComparison.Ordinal)
                || l.StartsWith("likes_persister_apply_seconds_sum", StringComparison.Ordinal)
                || l.StartsWith("likes_persister_batch_size_count", StringComparison.Ordinal)))
            {
                progress("persist: " + line);
            }
        }

        drain.Stop();

        progress("persist: raw batched inserts of the same rows");
        await using var raw = NpgsqlDataSource.Create(stack.PostgresConnectionString);
        await using (var reset = raw.CreateCommand("TRUNCATE likes, content_like_counts"))
        {
            await reset.ExecuteNonQueryAsync(ct);
        }

        var insert = Stopwatch.StartNew();
        foreach (var chunk in likes.Chunk(batchSize))
        {
            await using var cmd = raw.CreateCommand("""
                INSERT INTO likes (user_id, content_id, created_at)
                SELECT u, c, to_timestamp(t / 1000.0) FROM unnest(@u, @c, @t) AS x(u, c, t)
                ON CONFLICT DO NOTHING
                """);
            cmd.Parameters.Add(new NpgsqlParameter<long[]>("u", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = chunk.Select(e => e.UserId).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<long[]>("c", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = chunk.Select(e => e.ContentId).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter<long[]>("t", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = chunk.Select(e => e.AcceptedAtMs).ToArray() });
            await cmd.ExecuteNonQueryAsync(ct);
        }

        insert.Stop();
        return new PersistFigures(events, events / drain.Elapsed.TotalSeconds, events / insert.Elapsed.TotalSeconds);
    }

    /// <summary>Distinct (user, content) likes spread over users, so every partition has work.</summary>
    private List<LikeEvent> Backlog()
    {
        var random = new Random(42);
        var at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return Enumerable.Range(0, events)
            .Select(i => new LikeEvent(Guid.CreateVersion7(), 1 + i / 20, 1 + random.Next(50_000), LikeAction.Like, at + i))
            .DistinctBy(e => (e.UserId, e.ContentId))
            .ToList();
    }
}

public sealed record PersistFigures(int Rows, double RowsPerSecond, double RawRowsPerSecond)
{
    public double Ratio => RowsPerSecond / RawRowsPerSecond;
}
