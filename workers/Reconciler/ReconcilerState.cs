using Npgsql;

namespace Likes.Reconciler;

/// <summary>The table <c>reconciler_state</c>: per job, the watermark and the last success. Times are PostgreSQL's clock.</summary>
public sealed class ReconcilerState(NpgsqlDataSource postgres)
{
    /// <summary>PostgreSQL's time now (the watermark this run will leave behind) and the watermark the last successful run left.</summary>
    public async Task<(DateTimeOffset Now, DateTimeOffset? Watermark)> BeginAsync(string job, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand("SELECT now(), (SELECT watermark FROM reconciler_state WHERE job = @job)");
        command.Parameters.Add(new NpgsqlParameter<string>("job", job));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1));
    }

    /// <summary>Records a successful run; the watermark only moves forward (two runs may finish in either order).</summary>
    public async Task SucceededAsync(string job, DateTimeOffset? watermark, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand("""
            INSERT INTO reconciler_state (job, watermark, last_success, runs) VALUES (@job, @watermark, now(), 1)
            ON CONFLICT (job) DO UPDATE SET
                watermark = greatest(reconciler_state.watermark, excluded.watermark),
                last_success = now(),
                runs = reconciler_state.runs + 1
            """);
        command.Parameters.Add(new NpgsqlParameter<string>("job", job));
        command.Parameters.Add(new NpgsqlParameter("watermark", NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = watermark is { } w ? w : DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
