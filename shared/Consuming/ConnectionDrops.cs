using System.Runtime.CompilerServices;
using NATS.Client.Core;

namespace Likes.Shared.Consuming;

/// <summary>How often a connection to the stream server dropped since it was first watched: one counter per connection.</summary>
public sealed class ConnectionDrops
{
    private static readonly ConditionalWeakTable<INatsConnection, ConnectionDrops> Watched = [];

    private long _count;

    private ConnectionDrops(INatsConnection connection)
        => connection.ConnectionDisconnected += (_, _) =>
        {
            Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        };

    public long Count => Interlocked.Read(ref _count);

    public static ConnectionDrops Of(INatsConnection connection) => Watched.GetValue(connection, c => new ConnectionDrops(c));
}
