using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Streams;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Likes.Admin;

/// <summary>
/// Creates or updates the event, change, dead-letter and reheat streams, the Idempotency-Key and lease buckets and the durable
/// consumers of every partition. With interest retention the server acks an event that no consumer is interested
/// in and then drops it: so a new event stream is created acknowledging nothing (writes to it time out, 503) until
/// every partition's consumers exist, and only then acknowledges.
/// </summary>
public static class StreamProvisioner
{
    public static async Task EnsureAsync(INatsJSContext js, StreamOptions stream, ConsumerOptions consumer, TextWriter log, CancellationToken ct)
    {
        var events = LikesTopology.EventStream(stream);
        var created = !await ExistsAsync(js, stream.Name, ct);
        await js.CreateOrUpdateStreamAsync(created ? events with { NoAck = true } : events, ct);
        foreach (var worker in LikesTopology.EventConsumers)
        {
            for (var p = 0; p < stream.Partitions; p++)
            {
                await js.CreateOrUpdateConsumerAsync(stream.Name, LikesTopology.EventConsumer(stream, consumer, worker, p), ct);
            }
        }

        if (created)
        {
            await js.UpdateStreamAsync(events, ct);
        }

        log.WriteLine($"streams: {stream.Name} on {stream.EventSubjectWildcard} ({stream.Partitions} partitions, R{stream.Replicas}){(created ? ", created" : string.Empty)}");
        log.WriteLine($"streams: consumers {string.Join(", ", LikesTopology.EventConsumers.Select(w => $"{w}-p0..p{stream.Partitions - 1}"))}");
        await js.CreateOrUpdateStreamAsync(LikesTopology.ChangesStream(stream), ct);
        log.WriteLine($"streams: {stream.ChangesStreamName} on {stream.ChangeSubject}");
        await js.CreateOrUpdateStreamAsync(LikesTopology.DeadLetterStream(stream), ct);
        log.WriteLine($"streams: {stream.DeadLetterStreamName} on {stream.DeadLetterSubjectWildcard}");
        await js.CreateOrUpdateStreamAsync(LikesTopology.ReheatStream(stream), ct);
        log.WriteLine($"streams: {stream.ReheatStreamName} on {stream.ReheatSubject}");
        await new NatsKVContext(js).CreateOrUpdateStoreAsync(LikesTopology.IdempotencyBucket(stream), ct);
        log.WriteLine($"streams: key-value bucket {stream.IdempotencyBucket}");
        await new NatsKVContext(js).CreateOrUpdateStoreAsync(LikesTopology.LeaseBucket(stream), ct);
        log.WriteLine($"streams: key-value bucket {stream.LeaseBucket}");
    }

    private static async Task<bool> ExistsAsync(INatsJSContext js, string name, CancellationToken ct)
    {
        try
        {
            await js.GetStreamAsync(name, cancellationToken: ct);
            return true;
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            return false;
        }
    }
}
