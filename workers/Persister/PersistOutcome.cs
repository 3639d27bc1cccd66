using Likes.Shared;

namespace Likes.Persister;

/// <summary>
/// What one committed batch did: rows really inserted and deleted, and the absolute count of every
/// content the batch touched (changed or not, so a redelivered batch writes the counters again).
/// </summary>
public sealed record PersistOutcome(int Inserted, int Deleted, IReadOnlyList<KeyValuePair<long, CounterValue>> Counts);
