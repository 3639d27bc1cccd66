namespace Likes.Edge.Reads;

/// <summary>Why a fact could not be known: its field is answered <c>null</c> and the response carries <c>"degraded": true</c>.</summary>
public enum DegradedReason
{
    /// <summary>Every PostgreSQL fallback slot was busy (<c>Edge:FallbackConcurrency</c>).</summary>
    Budget,

    /// <summary>PostgreSQL failed or did not answer within <c>Edge:FallbackTimeout</c>.</summary>
    Postgres,
}
