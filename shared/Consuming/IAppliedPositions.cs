using Likes.Shared.Streams;

namespace Likes.Shared.Consuming;

/// <summary>
/// Where a worker keeps how far it applied each partition: next to its effects, written by its handler with them
/// (<see cref="EventBatch.Position"/>), so it can never say more than what was applied. Read when a partition's loop
/// starts; the server's consumer state is not the record of what was applied.
/// </summary>
public interface IAppliedPositions
{
    /// <summary>The partition's position; sequence 0 when nothing was recorded.</summary>
    Task<EventPosition> ReadAsync(int partition, CancellationToken cancellationToken);
}
