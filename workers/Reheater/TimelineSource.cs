using System.Data;
using Likes.Shared.Bloom;
using Likes.Shared.Configuration;
using Likes.Shared.Partitioning;
using Likes.Shared.Streams;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Likes.Reheater;

/// <summary>
/// Reads a user's snapshot from PostgreSQL in one repeatable-read transaction, on the primary key and
/// likes_user_newest: the partition's position and the newest N + 1 likes; for a filter, also how many
/// likes the user has and then every liked content id, streamed into the filter row by row (memory: the
/// filter's size, never the list of ids).
/// </summary>
public sealed class TimelineSource(NpgsqlDataSource postgres, IOptions<StreamOptions> stream)
{
    private const string PositionSql = "SELECT epoch, sequence FROM stream_positions WHERE consumer = 'persister' AND partition = @partition";

    private const string NewestSql = """
        SELECT content_id, (extract(epoch FROM created_at) * 1000)::bigint
        FROM likes WHERE user_id = @user
        ORDER BY created_at DESC, content_id DESC
        LIMIT @take
        """;

    private const string CountSql = "SELECT count(*) FROM likes WHERE user_id = @user";

    private const string AllSql = "SELECT content_id FROM likes WHERE user_id = @user";

    /// <param name="filterFor">When given and the user has more than <paramref name="size"/> likes: the empty filter for that many likes, to fill.</param>
    public async Task<TimelineSnapshot> ReadAsync(long userId, int size, Func<long, BloomBitmap>? filterFor, CancellationToken cancellationToken)
    {
        await using var connection = await postgres.OpenConnectionAsync(cancellationToken);
        await using var tx = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

        await using var position = new NpgsqlCommand(PositionSql, connection, tx);
        position.Parameters.AddWithValue("partition", Partitioner.PartitionOf(userId, stream.Value.Partitions));
        var covers = default(EventPosition);
        await using (var reader = await position.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                covers = new EventPosition(reader.GetInt64(0), (ulong)reader.GetInt64(1));
            }
        }

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

        BloomBitmap? filter = null;
        if (filterFor is not null && rows.Count > size)
        {
            await using var count = new NpgsqlCommand(CountSql, connection, tx);
            count.Parameters.AddWithValue("user", userId);
            filter = filterFor((long)(await count.ExecuteScalarAsync(cancellationToken))!);

            await using var all = new NpgsqlCommand(AllSql, connection, tx);
            all.Parameters.AddWithValue("user", userId);
            await using var reader = await all.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                filter.Add(reader.GetInt64(0));
            }
        }

        await tx.CommitAsync(cancellationToken);
        return new TimelineSnapshot(covers, rows, filter);
    }
}
