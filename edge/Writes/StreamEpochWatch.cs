using Likes.Edge.Options;
using Likes.Shared.Configuration;
using Likes.Shared.Streams;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Likes.Edge.Writes;

/// <summary>
/// Tells the <see cref="StreamSequenceGuard"/> the event stream's epoch (<see cref="StreamEpoch"/>), read from the
/// server at most once per <see cref="EdgeOptions.StreamEpochCheckInterval"/> as the edge publishes: only a stream
/// created anew may hand out sequences below ones it acknowledged. A read that fails waits for the next interval; the
/// guard keeps what it knew, which only ever refuses more.
/// </summary>
public sealed class StreamEpochWatch(INatsJSContext js, StreamSequenceGuard guard, IOptions<StreamOptions> stream, IOptions<EdgeOptions> edge, TimeProvider time)
{
    private readonly TimeSpan _interval = edge.Value.StreamEpochCheckInterval;
    private readonly TimeSpan _timeout = edge.Value.PublishTimeout;
    private long _readAt = long.MinValue;

    /// <summary>When a read is due, reads the epoch and tells the guard; true when the guard started over on a new stream.</summary>
    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetTimestamp();
        var last = Volatile.Read(ref _readAt);
        if ((last != long.MinValue && time.GetElapsedTime(last, now) < _interval) || Interlocked.CompareExchange(ref _readAt, now, last) != last)
        {
            return false;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            var info = await js.GetStreamAsync(stream.Value.Name, cancellationToken: timeout.Token);
            return guard.Observe(StreamEpoch.Of(info.Info));
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException or TimeoutException)
        {
            return false;
        }
    }
}
