using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Streams;
using Microsoft.Extensions.Options;
using NATS.Client.JetStream;

namespace Likes.Reheater;

/// <summary>
/// How far the aggregator can have applied a partition: to the partition's last event the stream still holds. Every
/// event it applied is either still in the stream (the persister has not acked it) or gone because both consumers
/// acked it, and so in PostgreSQL. A snapshot whose position covers that reach therefore holds every like the
/// aggregator applied: a timeline rebuilt from it where none is (one evicted) can be complete without missing one.
/// </summary>
public sealed class AggregatorReach(INatsJSContext js, IOptions<StreamOptions> stream)
{
    public async Task<EventPosition> OfAsync(int partition, CancellationToken cancellationToken)
    {
        var info = (await js.GetStreamAsync(stream.Value.Name, cancellationToken: cancellationToken)).Info;
        var last = await new PartitionStream(js, stream.Value, partition).LastAsync(cancellationToken);
        return new EventPosition(StreamEpoch.Of(info), last?.Sequence ?? 0);
    }
}
