using Likes.Shared.Events;

namespace Likes.Shared.Consuming;

/// <summary>Decoded events of one partition, in stream order, handed to a worker's handler.</summary>
public sealed record EventBatch(int Partition, IReadOnlyList<LikeEvent> Events);
