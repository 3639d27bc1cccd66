using System.Data;
using Likes.Shared.Configuration;
using Likes.Shared.Partitioning;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Likes.Reheater;

/// <summary>Reads a user's snapshot from PostgreSQL: one repeatable-read transaction, two index-only-ish queries.</summary>
public sealed class TimelineSource(NpgsqlDataSource postgres, IOptions<StreamOptions> stream)
{
    private const string PositionSql = "SELECT sequence FROM stream_positions WHERE consumer = 'persister' AND partition = @partition";

    private const string NewestSql = """
        SELECT content_id, (extract(epoch FROM created_at) * 1000)::bigint
        FROM likes WHERE user_id = @user
        ORDER BY created_at DESC, content_id DESC
        LIMIT @take
        """;

    public async Task<TimelineSnapshot> ReadAsync(long userId, int size, CancellationToken cancellationToken)
    {
        await using var connection = await postgres.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

        await using var position = new NpgsqlCommand(PositionSql, connection, tx);
        position.Parameters.AddWithValue("partition", Partitioner.PartitionOf(userId, stream.Value.Partitions));
        var covers = (ulong)((long?)await position.ExecuteScalarAsync(cancellationToken) ?? 0);

        await using var newest = new NpgsqlCommand(NewestSql, connection, tx);
        newest.Parameters.AddWithValue("user", userId);
        newest.Parameters.AddWithValue("take", size + 1);
        var rows = new List<(long, long)>(size + 1);
        await using (var reader = await newest.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
            }
        }

        await tx.CommitAsync(cancellationToken);
        return new TimelineSnapshot(covers, rows);
    }
}
