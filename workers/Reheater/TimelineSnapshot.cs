using Likes.Shared.Bloom;
using Likes.Shared.Streams;

namespace Likes.Reheater;

/// <summary>
/// A user's newest likes read from PostgreSQL (at most N + 1, to know whether there are more than N), and
/// the stream position the snapshot covers (the persister's for the user's partition, read in the
/// same transaction); with a Bloom filter of every like of the user when one was asked for and there are
/// more than N, from the same transaction.
/// </summary>
public sealed record TimelineSnapshot(EventPosition Covers, IReadOnlyList<(long ContentId, long LikedAtMs)> Newest, BloomBitmap? Filter = null);
