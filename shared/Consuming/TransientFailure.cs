using System.Net.Sockets;
using NATS.Client.Core;
using Npgsql;
using StackExchange.Redis;

namespace Likes.Shared.Consuming;

/// <summary>
/// Failures of a store as a whole (down, unreachable, timing out): the batch is retried until the store
/// is back, and no event is blamed for it. Anything else is a failure of the events at hand.
/// </summary>
public static class TransientFailure
{
    public static bool Is(Exception ex) => ex switch
    {
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is SocketException or TimeoutException,
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException redis => redis.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || redis.Message.StartsWith("BUSY", StringComparison.Ordinal)
            || redis.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            || redis.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
            || redis.Message.StartsWith("OOM", StringComparison.Ordinal),
        NatsException or TimeoutException or SocketException or IOException => true,
        AggregateException agg => agg.InnerExceptions.All(Is),
        _ => ex.InnerException is { } inner && Is(inner),
    };
}
