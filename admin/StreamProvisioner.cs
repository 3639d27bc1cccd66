using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Streams;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
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
    /// <summary>The name of the consumer that holds a partition's interest while its consumer is replaced.</summary>
    private const string BridgeSuffix = "-bridge";

    public static async Task EnsureAsync(INatsJSContext js, StreamOptions stream, ConsumerOptions consumer, TextWriter log, CancellationToken ct)
    {
        var events = LikesTopology.EventStream(stream);
        var created = !await ExistsAsync(js, stream.Name, ct);
        await js.CreateOrUpdateStreamAsync(created ? events with { NoAck = true } : events, ct);
        foreach (var worker in LikesTopology.EventConsumers)
        {
            for (var p = 0; p < stream.Partitions; p++)
            {
                await EnsureEventConsumerAsync(js, stream.Name, LikesTopology.EventConsumer(stream, consumer, worker, p), log, ct);
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

    /// <summary>
    /// Removes every stream <see cref="EnsureAsync"/> creates for <paramref name="stream"/>, each holding a reservation of
    /// JetStream's storage: one already gone is skipped, one that cannot be removed does not stop the rest.
    /// </summary>
    public static async Task RemoveAsync(INatsJSContext js, StreamOptions stream, CancellationToken ct)
    {
        var failed = new List<string>();
        foreach (var name in stream.StreamNames)
        {
            try
            {
                await js.DeleteStreamAsync(name, ct);
            }
            catch (NatsJSApiException ex) when (ex.Error.Code == 404)
            {
            }
            catch (NatsException ex)
            {
                failed.Add($"{name} ({ex.Message})");
            }
        }

        if (failed.Count > 0)
        {
            throw new InvalidOperationException("could not remove the streams " + string.Join(", ", failed));
        }
    }

    /// <summary>
    /// Creates or updates one partition's consumer. A consumer's ack policy cannot be updated: one provisioned with
    /// another (ack-all, before acks went per event) is replaced, with a bridge consumer holding interest from its ack
    /// floor meanwhile, so that the interest stream drops none of the events it had not acked. The new consumer
    /// delivers the partition's events still in the stream again; the loop acks those at or below its position unapplied.
    /// </summary>
    private static async Task EnsureEventConsumerAsync(INatsJSContext js, string streamName, ConsumerConfig config, TextWriter log, CancellationToken ct)
    {
        var name = config.Name!;
        ConsumerInfo existing;
        try
        {
            existing = (await js.GetConsumerAsync(streamName, name, ct)).Info;
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            await js.CreateOrUpdateConsumerAsync(streamName, config, ct);
            return;
        }

        if (existing.Config.AckPolicy == config.AckPolicy)
        {
            await js.CreateOrUpdateConsumerAsync(streamName, config, ct);
            return;
        }

        var bridge = config with
        {
            Name = name + BridgeSuffix,
            DurableName = name + BridgeSuffix,
            DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence,
            OptStartSeq = existing.AckFloor.StreamSeq + 1,
        };
        await js.CreateOrUpdateConsumerAsync(streamName, bridge, ct);
        await js.DeleteConsumerAsync(streamName, name, ct);
        await js.CreateOrUpdateConsumerAsync(streamName, config, ct);
        await js.DeleteConsumerAsync(streamName, bridge.Name!, ct);
        log.WriteLine($"streams: consumer {name} replaced (ack policy {existing.Config.AckPolicy} -> {config.AckPolicy}), from its ack floor {existing.AckFloor.StreamSeq}");
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
