using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Streams;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Likes.Admin;

/// <summary>
/// Creates or updates the event and dead-letter streams and the durable consumers of every partition.
/// The consumers exist before any event is published: with interest retention an event published while
/// no consumer is interested would not be kept.
/// </summary>
public static class StreamProvisioner
{
    public static async Task EnsureAsync(INatsJSContext js, StreamOptions stream, ConsumerOptions consumer, TextWriter log, CancellationToken ct)
    {
        await js.CreateOrUpdateStreamAsync(LikesTopology.EventStream(stream), ct);
        log.WriteLine($"streams: {stream.Name} on {stream.EventSubjectWildcard} ({stream.Partitions} partitions, R{stream.Replicas})");
        await js.CreateOrUpdateStreamAsync(LikesTopology.DeadLetterStream(stream), ct);
        log.WriteLine($"streams: {stream.DeadLetterStreamName} on {stream.DeadLetterSubjectWildcard}");
        await js.CreateOrUpdateStreamAsync(LikesTopology.ReheatStream(stream), ct);
        log.WriteLine($"streams: {stream.ReheatStreamName} on {stream.ReheatSubject}");
        await new NatsKVContext(js).CreateOrUpdateStoreAsync(LikesTopology.IdempotencyBucket(stream), ct);
        log.WriteLine($"streams: key-value bucket {stream.IdempotencyBucket}");
        foreach (var worker in LikesTopology.EventConsumers)
        {
            for (var p = 0; p < stream.Partitions; p++)
            {
                await js.CreateOrUpdateConsumerAsync(stream.Name, LikesTopology.EventConsumer(stream, consumer, worker, p), ct);
            }

            log.WriteLine($"streams: consumers {worker}-p0..p{stream.Partitions - 1}");
        }
    }
}
