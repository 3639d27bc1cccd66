using Likes.Shared.Events;

namespace Likes.Shared.Consuming;

/// <summary>
/// Decoded events of one partition, in stream order, handed to a worker's handler. <see cref="LastSequence"/>
/// is the stream sequence of the last event (0 when unknown): stores record it to know how far they reflect
/// the stream.
/// </summary>
public sealed record EventBatch(int Partition, IReadOnlyList<LikeEvent> Events, ulong LastSequence = 0);
