using Likes.Edge.Options;
using Likes.Shared.Configuration;
using Likes.Shared.Streams;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Likes.Edge.Writes;

/// <summary>
/// The event stream's epoch (<see cref="StreamEpoch"/>), read from the server at most once per
/// <see cref="EdgeOptions.StreamEpochCheckInterval"/> as the edge publishes, for the <see cref="StreamSequenceGuard"/>:
/// only a stream created anew may hand out sequences below ones it acknowledged.
/// </summary>
public sealed class StreamEpochWatch(INatsJSContext js, IOptions<StreamOptions> stream, IOptions<EdgeOptions> edge, TimeProvider time)
{
    private readonly TimeSpan _interval = edge.Value.StreamEpochCheckInterval;
    private long _readAt = long.MinValue;
    private int _reading;

    /// <summary>The epoch, when a read is due and the server answered; otherwise null (nothing new to tell).</summary>
    public async Task<long?> ReadIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var last = Volatile.Read(ref _readAt);
        if ((last != long.MinValue && time.GetElapsedTime(last, now) < _interval) || Interlocked.CompareExchange(ref _reading, 1, 0) != 0)
        {
            return null;
        }

        try
        {
            var info = await js.GetStreamAsync(stream.Value.Name, cancellationToken: cancellationToken);
            Volatile.Write(ref _readAt, now);
            return StreamEpoch.Of(info.Info);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException or TimeoutException)
        {
            // Not read this time: the guard keeps what it knew, which only ever refuses more.
            return null;
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }
}
