using Likes.Shared.Events;
using Likes.Shared.Streams;

namespace Likes.Shared.Consuming;

/// <summary>
/// Decoded events of one partition, in stream order, handed to a worker's handler: a contiguous run of the
/// partition, so applying it leaves each pair as its last event says. <see cref="Position"/> is the stream
/// position of the run's last event: stores record it with the effects to know how far they reflect the stream.
/// <see cref="After"/> is where the loop stood before the run: a store that finds its recorded position beyond it
/// knows another replica applied the partition further, and refuses the batch (a fence).
/// </summary>
public sealed record EventBatch(int Partition, IReadOnlyList<LikeEvent> Events, EventPosition Position, EventPosition After);
