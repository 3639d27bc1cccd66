using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Streams;

namespace Likes.Admin.Access;

/// <summary>The subjects one NATS user may publish to and subscribe to.</summary>
public sealed record NatsGrant(IReadOnlyList<string> Publish, IReadOnlyList<string> Subscribe);

/// <summary>
/// What each identity may do on NATS, derived from the same topology the daemons use (stream, consumer and
/// subject names), so the permissions follow a renamed stream or a new partition count. A daemon receives
/// replies (publish acks, fetched messages) on its own inbox prefix only; an allow list denies everything else.
/// </summary>
public static class NatsGrants
{
    private const string Api = "$JS.API";

    public static NatsGrant For(Identity who, StreamOptions stream)
    {
        var inbox = NatsOptions.InboxPrefixOf(who.Name) + ".>";
        return who.Name switch
        {
            // Provisions and deletes streams; the tests publish and read anything through it.
            "admin" => new([">"], [">"]),
            // Publishes events on the partition subjects and reheat requests; claims Idempotency-Keys in their bucket;
            // reads the event stream's epoch (a stream created anew may hand out sequences it acknowledged before).
            "edge" => new(
                [.. Partitions(stream).Select(stream.EventSubject), stream.ReheatSubject, .. IdempotencyBucket(stream), $"{Api}.STREAM.INFO.{stream.Name}"],
                [inbox]),
            // Each asks for rebuilds too: the aggregator for a heavy user's filter, the persister for a cold duplicate.
            // The persister publishes the changes it committed, too (from its outbox).
            "aggregator" or "persister" => new(
                [.. EventConsumer(who.Name, stream), .. Leases(who.Name, stream), stream.DeadLetterSubject(who.Name), stream.ReheatSubject,
                 .. who.Name == "persister" ? [stream.ChangeSubject] : Array.Empty<string>()],
                [inbox]),
            // Its work queue; and how far the event stream goes, so no rebuild misses what the aggregator applied.
            "reheater" => new([.. Consumer(stream.ReheatStreamName, LikesTopology.ReheatConsumerName, filter: null), .. ReadStream(stream)], [inbox]),
            _ => new([], []),
        };
    }

    /// <summary>
    /// Its own durable consumer of each partition (create, fetch, ack), and reading the stream itself: its epoch when a
    /// partition's loop starts, and the events between what the loop applied and what it was handed.
    /// </summary>
    private static IEnumerable<string> EventConsumer(string worker, StreamOptions stream)
    {
        var identity = new WorkerIdentity(worker);
        foreach (var p in Partitions(stream))
        {
            foreach (var subject in Consumer(stream.Name, identity.DurableName(p), stream.EventSubject(p)))
            {
                yield return subject;
            }
        }

        foreach (var subject in ReadStream(stream))
        {
            yield return subject;
        }
    }

    /// <summary>
    /// The Idempotency-Key bucket: opened (its stream's info), written (a key-value put) and read (a direct get, which the
    /// client sends with the key in the subject or in the request).
    /// </summary>
    private static IEnumerable<string> IdempotencyBucket(StreamOptions stream)
    {
        yield return $"{Api}.STREAM.INFO.{stream.IdempotencyStreamName}";
        yield return $"$KV.{stream.IdempotencyBucket}.>";
        yield return $"{Api}.DIRECT.GET.{stream.IdempotencyStreamName}";
        yield return $"{Api}.DIRECT.GET.{stream.IdempotencyStreamName}.>";
    }

    /// <summary>
    /// The lease bucket: opened (its stream's info), its own worker's keys written (leases and membership, each a
    /// compare-and-set put or delete), any key read (a direct get).
    /// </summary>
    private static IEnumerable<string> Leases(string worker, StreamOptions stream)
    {
        yield return $"{Api}.STREAM.INFO.{stream.LeaseStreamName}";
        yield return $"$KV.{stream.LeaseBucket}.{worker}.>";
        yield return $"{Api}.DIRECT.GET.{stream.LeaseStreamName}";
        yield return $"{Api}.DIRECT.GET.{stream.LeaseStreamName}.>";
    }

    /// <summary>The event stream's info (its epoch, its last sequence) and its messages, by sequence or partition subject.</summary>
    private static IEnumerable<string> ReadStream(StreamOptions stream)
    {
        yield return $"{Api}.STREAM.INFO.{stream.Name}";
        yield return $"{Api}.STREAM.MSG.GET.{stream.Name}";
    }

    /// <summary>Create (or assert) one durable pull consumer, fetch from it and ack its messages.</summary>
    private static IEnumerable<string> Consumer(string streamName, string durable, string? filter)
    {
        yield return filter is null ? $"{Api}.CONSUMER.CREATE.{streamName}.{durable}" : $"{Api}.CONSUMER.CREATE.{streamName}.{durable}.{filter}";
        yield return $"{Api}.CONSUMER.MSG.NEXT.{streamName}.{durable}";
        yield return $"$JS.ACK.{streamName}.{durable}.>";
    }

    private static IEnumerable<int> Partitions(StreamOptions stream) => Enumerable.Range(0, stream.Partitions);
}
