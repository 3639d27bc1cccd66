using Likes.Shared.Consuming;
using Likes.Shared.Streams;
using Npgsql;
using NpgsqlTypes;

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

    // Each partition's position moves from where its loop stood to the batch's last event, in partition order (the
    // lock order of concurrent writers), or the whole transaction is refused: a fence against a replica that lost its
    // lease mid-batch (admin/Migrations/0008_position_fence.sql). A newer stream (a higher epoch) replaces an old one.
    private const string AdvanceSql = "SELECT likes_advance_positions('persister', @partitions, @epochs, @afters, @sequences)";

    /// <summary>The command that moves each batch's partition to the batch's position, in the batch's transaction.</summary>
    public static NpgsqlBatchCommand Advance(IEnumerable<EventBatch> batches) => Command(batches, b => b.Position.Sequence);

    /// <summary>
    /// The fence alone: the command fails unless the partition still stands where the batch began. A barrier applied in
    /// several transactions checks it in each, and moves the position with the last.
    /// </summary>
    public static NpgsqlBatchCommand Hold(EventBatch batch) => Command([batch], b => b.After.In(b.Position.Epoch));

    private static NpgsqlBatchCommand Command(IEnumerable<EventBatch> batches, Func<EventBatch, ulong> through)
    {
        var byPartition = batches.OrderBy(b => b.Partition).ToList();
        var command = new NpgsqlBatchCommand(AdvanceSql);
        command.Parameters.Add(new NpgsqlParameter<int[]>("partitions", NpgsqlDbType.Array | NpgsqlDbType.Integer) { TypedValue = byPartition.Select(b => b.Partition).ToArray() });
        command.Parameters.Add(LikeWriter.Array("epochs", byPartition.Select(b => b.Position.Epoch)));
        command.Parameters.Add(LikeWriter.Array("afters", byPartition.Select(b => (long)b.After.In(b.Position.Epoch))));
        command.Parameters.Add(LikeWriter.Array("sequences", byPartition.Select(b => (long)through(b))));
        return command;
    }
}
