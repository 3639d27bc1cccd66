using Likes.Shared;

namespace Likes.Persister;

/// <summary>
/// What one committed batch did: rows really inserted and deleted, the absolute count of every content the
/// batch touched (changed or not, so a redelivered batch writes the counters again), and the likes that
/// found their row already there.
/// </summary>
public sealed record PersistOutcome(int Inserted, int Deleted, IReadOnlyList<KeyValuePair<long, CounterValue>> Counts, IReadOnlyList<DuplicateLike> Duplicates);
