namespace Likes.Edge.Reads;

/// <summary><c>Edge:ReadSource</c>: where the read endpoints take their facts from.</summary>
public enum ReadSource
{
    /// <summary>Redis, with PostgreSQL for what Redis cannot answer (missing counters, unknown liked-state) or while Redis is down.</summary>
    Redis,

    /// <summary>PostgreSQL alone, for every read: the benchmarks' baseline and an operator's escape hatch.</summary>
    Postgres,
}
