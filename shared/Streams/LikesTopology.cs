using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;

namespace Likes.Shared.Streams;

/// <summary>
/// The one definition of the streams and consumers: provisioning and the workers both use it, so the
/// configuration a worker asserts at start is the one <c>likes-admin streams</c> created.
/// </summary>
public static class LikesTopology
{
    /// <summary>The durable consumers of the event stream, one per partition each.</summary>
    public static readonly IReadOnlyList<string> EventConsumers = ["aggregator", "persister"];

    /// <summary>The durable consumer of the reheat stream, shared by every reheater replica.</summary>
    public const string ReheatConsumerName = "reheater";

    /// <summary>
    /// Interest retention: an event stays until both consumers of its partition acked it, so the stream
    /// holds the backlog only. Discard-new: when full the edge answers 503 rather than the stream
    /// dropping accepted events.
    /// </summary>
    public static StreamConfig EventStream(StreamOptions o) => new(o.Name, [o.EventSubjectWildcard])
    {
        Description = "Accepted like and unlike events, one subject per partition.",
        Storage = StreamConfigStorage.File,
        Retention = StreamConfigRetention.Interest,
        Discard = StreamConfigDiscard.New,
        DuplicateWindow = o.DuplicateWindow,
        MaxAge = o.MaxAge,
        MaxBytes = o.MaxBytes,
        MaxMsgSize = o.MaxMessageBytes,
        NumReplicas = o.Replicas,
    };

    /// <summary>
    /// The change stream: limits retention and discard-old (at most a quarter of the event stream's bytes), so a slow or
    /// absent downstream consumer can never fill it to refusal (nor the event stream: changes are published from an outbox after commit, never on the write path).
    /// The duplicate window dedupes a change the relay publishes twice (its change id is the message id).
    /// </summary>
    public static StreamConfig ChangesStream(StreamOptions o) => new(o.ChangesStreamName, [o.ChangeSubject])
    {
        Description = "Net changes committed to PostgreSQL: liked, unliked, erased, content deleted (docs/api.md).",
        Storage = StreamConfigStorage.File,
        Retention = StreamConfigRetention.Limits,
        Discard = StreamConfigDiscard.Old,
        DuplicateWindow = o.DuplicateWindow,
        MaxAge = o.ChangesMaxAge,
        MaxBytes = Math.Max(o.MaxBytes / 4, 1L << 20),
        NumReplicas = o.Replicas,
    };

    public static StreamConfig DeadLetterStream(StreamOptions o) => new(o.DeadLetterStreamName, [o.DeadLetterSubjectWildcard])
    {
        Description = "Messages a worker could not apply, with the reason in headers.",
        Storage = StreamConfigStorage.File,
        Retention = StreamConfigRetention.Limits,
        Discard = StreamConfigDiscard.Old,
        MaxAge = o.DeadLetterMaxAge,
        MaxBytes = Math.Max(o.MaxBytes / 16, 1L << 20),
        NumReplicas = o.Replicas,
    };

    /// <summary>
    /// Timeline rebuild requests: a work queue (each taken once by one reheater), short-lived hints deduped
    /// per user by message id, bounded so a read storm cannot grow it.
    /// </summary>
    public static StreamConfig ReheatStream(StreamOptions o) => new(o.ReheatStreamName, [o.ReheatSubject])
    {
        Description = "Requests to rebuild a user's timeline from PostgreSQL.",
        Storage = StreamConfigStorage.File,
        Retention = StreamConfigRetention.Workqueue,
        Discard = StreamConfigDiscard.Old,
        DuplicateWindow = o.ReheatDuplicateWindow,
        MaxAge = TimeSpan.FromMinutes(10),
        MaxMsgs = 1_000_000,
        NumReplicas = o.Replicas,
    };

    /// <summary>
    /// The write each Idempotency-Key was first sent with, per user, kept a minute longer than the stream's duplicate
    /// window (inside it, a retry is deduplicated by message id; a key reused for another write is refused).
    /// </summary>
    public static NatsKVConfig IdempotencyBucket(StreamOptions o) => new(o.IdempotencyBucket)
    {
        Description = "The write each Idempotency-Key was sent with, while the event stream deduplicates it.",
        History = 1,
        MaxAge = o.DuplicateWindow + TimeSpan.FromMinutes(1),
        MaxValueSize = 256,
        MaxBytes = Math.Max(o.MaxBytes / 16, 1L << 20),
        Storage = NatsKVStorageType.File,
        NumberOfReplicas = o.Replicas,
    };

    /// <summary>
    /// Partition leases and each worker's membership (shared/Ownership): one small value per key, only the latest kept,
    /// replicated like the streams so that a lease survives the loss of a stream server.
    /// </summary>
    public static NatsKVConfig LeaseBucket(StreamOptions o) => new(o.LeaseBucket)
    {
        Description = "Which worker replica applies each partition, and the replicas of each worker.",
        History = 1,
        MaxValueSize = 64 * 1024,
        MaxBytes = 16L << 20,
        Storage = NatsKVStorageType.File,
        NumberOfReplicas = o.Replicas,
    };

    /// <summary>One durable consumer shared by every reheater replica: each request goes to one of them.</summary>
    public static ConsumerConfig ReheatConsumer(StreamOptions stream, TimeSpan ackWait) => new(ReheatConsumerName)
    {
        DurableName = ReheatConsumerName,
        AckPolicy = ConsumerConfigAckPolicy.Explicit,
        AckWait = ackWait,
        MaxDeliver = 5,
        MaxAckPending = 1000,
        NumReplicas = stream.Replicas,
    };

    /// <summary>
    /// Explicit acks, one per event applied: an event applied from the stream without a delivery (a dead owner's held
    /// batch) is acked when the server redelivers it after AckWait. MaxAckPending bounds what a dead owner can hold;
    /// the loop applies that held range first when it starts (docs/architecture.md). It is two batches, so
    /// that a whole batch held by a dead owner still leaves the next owner room to fetch a batch (with one,
    /// its fetch would wait until the held batch timed out after AckWait).
    /// MaxDeliver is unlimited here: the loop dead-letters an event that fails on its own, and a store
    /// outage must never exhaust deliveries.
    /// </summary>
    public static ConsumerConfig EventConsumer(StreamOptions stream, ConsumerOptions consumer, string worker, int partition)
    {
        var name = new WorkerIdentity(worker).DurableName(partition);
        return new ConsumerConfig(name)
        {
            DurableName = name,
            FilterSubject = stream.EventSubject(partition),
            DeliverPolicy = ConsumerConfigDeliverPolicy.All,
            AckPolicy = ConsumerConfigAckPolicy.Explicit,
            AckWait = consumer.AckWait,
            MaxAckPending = 2 * consumer.BatchSize,
            MaxDeliver = -1,
            NumReplicas = stream.Replicas,
        };
    }
}
