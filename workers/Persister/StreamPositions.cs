using Likes.Shared.Consuming;
using Likes.Shared.Streams;
using Npgsql;

namespace Likes.Persister;

/// <summary>
/// How far PostgreSQL reflects each partition: <c>stream_positions</c>, moved in the same transaction as the rows
/// (<see cref="LikeWriter"/>), so it is exactly what was committed.
/// </summary>
public sealed class StreamPositions(NpgsqlDataSource postgres) : IAppliedPositions
{
    public const string Worker = "persister";

    public async Task<EventPosition> ReadAsync(int partition, CancellationToken cancellationToken)
    {
        await using var command = postgres.CreateCommand("SELECT epoch, sequence FROM stream_positions WHERE consumer = @consumer AND partition = @partition");
        command.Parameters.AddWithValue("consumer", Worker);
        command.Parameters.AddWithValue("partition", partition);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new EventPosition(reader.GetInt64(0), (ulong)reader.GetInt64(1)) : default;
    }
}
