using System.Net.Sockets;
using NATS.Client.Core;
using Npgsql;
using StackExchange.Redis;

namespace Likes.Shared.Consuming;

/// <summary>Why applying a batch failed, which decides what the loop does about it.</summary>
public enum FailureKind
{
    /// <summary>The store is down, unreachable, busy or timing out: retried until it is back.</summary>
    Unavailable,

    /// <summary>
    /// The store answers but refuses for reasons of its configuration: a password, a grant, an ACL, a schema a
    /// deploy expects before its migration ran, a read-only replica. An outage too: retried, never the events' fault.
    /// </summary>
    Refused,

    /// <summary>Something about the events at hand (a value PostgreSQL cannot take): isolated, and dead-lettered if it persists.</summary>
    Event,

    /// <summary>The store found the partition applied further than this replica knew: another replica holds it now.</summary>
    Fenced,
}

/// <summary>
/// Sorts a failure into a <see cref="FailureKind"/>. Only what can be pinned on data is blamed on the events:
/// a PostgreSQL data exception (SQLSTATE class 22) or integrity violation (23), and exceptions of no store at all.
/// Everything a store says about itself is an outage, so that a misconfiguration never dead-letters accepted likes.
/// </summary>
public static class StoreFailure
{
    /// <summary>
    /// The SQLSTATE <c>likes_advance_positions</c> raises when a partition's stored position moved past what the writer
    /// applied (admin/Migrations/0008_position_fence.sql).
    /// </summary>
    public const string FencedSqlState = "LK001";

    /// <summary>PostgreSQL SQLSTATE classes that name a configuration problem (auth, privileges, schema, catalog, read-only, features).</summary>
    private static readonly HashSet<string> RefusingClasses = ["0A", "25", "28", "2B", "3D", "3F", "42", "44"];

    /// <summary>Redis errors of a server that is down, loading, failing over, resharding or full; the others are refusals.</summary>
    private static readonly HashSet<RedisErrorKind> UnavailableRedis =
    [
        RedisErrorKind.Loading, RedisErrorKind.ClusterDown, RedisErrorKind.MasterDown, RedisErrorKind.TryAgain, RedisErrorKind.NoReplicas,
        RedisErrorKind.OutOfMemory, RedisErrorKind.Busy, RedisErrorKind.MaxClients, RedisErrorKind.Moved, RedisErrorKind.Ask,
        RedisErrorKind.UnknownRedirectTarget, RedisErrorKind.ConnectionFault, RedisErrorKind.Timeout,
    ];

    public static FailureKind Of(Exception ex) => ex switch
    {
        PostgresException { SqlState: FencedSqlState } => FailureKind.Fenced,
        PostgresException pg => OfPostgres(pg.SqlState),
        NpgsqlException => FailureKind.Unavailable,
        RedisServerException redis => UnavailableRedis.Contains(redis.Kind) ? FailureKind.Unavailable : FailureKind.Refused,
        RedisConnectionException or RedisTimeoutException => FailureKind.Unavailable,
        RedisCommandException => FailureKind.Refused,
        NatsException or TimeoutException or SocketException or IOException => FailureKind.Unavailable,
        AggregateException agg => Worst([.. agg.InnerExceptions.Select(Of)]),
        _ => ex.InnerException is { } inner ? Of(inner) : FailureKind.Event,
    };

    /// <summary>A store's outage of either kind: the batch waits, nothing is acked or blamed.</summary>
    public static bool IsOutage(Exception ex) => Of(ex) is FailureKind.Unavailable or FailureKind.Refused;

    /// <summary>Of several failures at once: fenced if any was (the partition is someone else's), else an outage if any was.</summary>
    private static FailureKind Worst(FailureKind[] kinds)
        => kinds.Contains(FailureKind.Fenced) ? FailureKind.Fenced
            : kinds.Where(k => k != FailureKind.Event).DefaultIfEmpty(FailureKind.Event).Min();

    private static FailureKind OfPostgres(string sqlState) => sqlState[..2] switch
    {
        "22" or "23" => FailureKind.Event,
        var c when RefusingClasses.Contains(c) => FailureKind.Refused,
        _ => FailureKind.Unavailable,
    };
}
