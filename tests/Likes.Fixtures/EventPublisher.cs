using Likes.Shared.Configuration;
using Likes.Shared.Events;
using Likes.Shared.Partitioning;
using NATS.Client.JetStream;

namespace Likes.Fixtures;

/// <summary>Publishes events straight onto a fixture's stream, as the edge would, for worker tests.</summary>
public sealed class EventPublisher(INatsJSContext js, StreamOptions stream)
{
    private long _clock = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public LikeEvent Like(long user, long content) => Event(user, content, LikeAction.Like);

    public LikeEvent Unlike(long user, long content) => Event(user, content, LikeAction.Unlike);

    /// <summary>Each event one millisecond after the previous one, so like times are distinct and ordered.</summary>
    public LikeEvent Event(long user, long content, LikeAction action)
        => new(Guid.CreateVersion7(), user, content, action, Interlocked.Increment(ref _clock));

    public async Task PublishAsync(LikeEvent e)
    {
        var ack = await js.PublishAsync(stream.EventSubject(Partitioner.PartitionOf(e.UserId, stream.Partitions)), LikeEventCodec.Encode(e));
        ack.EnsureSuccess();
    }

    public async Task PublishAsync(IEnumerable<LikeEvent> events)
    {
        foreach (var e in events)
        {
            await PublishAsync(e);
        }
    }

    /// <summary>Many events with many publishes in flight (acks awaited in windows): how a backlog is made fast.</summary>
    public async Task PublishManyAsync(IReadOnlyList<LikeEvent> events, int inFlight = 512, CancellationToken cancellationToken = default)
    {
        var pending = new List<Task>(inFlight);
        foreach (var e in events)
        {
            pending.Add(PublishAsync(e));
            if (pending.Count == inFlight)
            {
                await Task.WhenAll(pending);
                pending.Clear();
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        await Task.WhenAll(pending);
    }

    /// <summary>Raw bytes onto a partition subject: how a poison message arrives.</summary>
    public async Task PublishRawAsync(int partition, byte[] payload)
    {
        var ack = await js.PublishAsync(stream.EventSubject(partition), payload);
        ack.EnsureSuccess();
    }

    /// <summary>
    /// Events of the stream not yet acked by the named worker's consumers, over all partitions: those not yet
    /// delivered, and deliveries above the ack floor. Not the server's ack-pending count: after a restart,
    /// nats-server 2.9 can list entries below an ack floor that no ack reaches any more, until its next
    /// pending check (AckWait) drops them, although everything delivered was acked.
    /// </summary>
    public async Task<ulong> PendingAsync(string worker)
    {
        ulong pending = 0;
        for (var p = 0; p < stream.Partitions; p++)
        {
            var info = (await js.GetConsumerAsync(stream.Name, $"{worker}-p{p}")).Info;
            pending += info.NumPending + (info.Delivered.ConsumerSeq - info.AckFloor.ConsumerSeq);
        }

        return pending;
    }

    /// <summary>The last sequence the stream handed out.</summary>
    public async Task<ulong> LastSequenceAsync() => (await js.GetStreamAsync(stream.Name)).Info.State.LastSeq;

    /// <summary>
    /// The stream's sequences and, per partition consumer of the named workers, what JetStream says it
    /// delivered, had acked and still holds: printed when a test finds events left pending, to say why.
    /// </summary>
    public async Task<string> DescribeAsync(params string[] workers)
    {
        var text = new System.Text.StringBuilder();
        var info = (await js.GetStreamAsync(stream.Name)).Info.State;
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"stream {stream.Name}: sequences {info.FirstSeq}..{info.LastSeq}, {info.Messages} messages");
        foreach (var worker in workers)
        {
            for (var p = 0; p < stream.Partitions; p++)
            {
                var c = (await js.GetConsumerAsync(stream.Name, $"{worker}-p{p}")).Info;
                text.AppendLine().Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"  {worker}-p{p}: pending {c.NumPending}, ack pending {c.NumAckPending}, redelivered {c.NumRedelivered}, waiting pulls {c.NumWaiting}; "
                    + $"delivered stream {c.Delivered.StreamSeq} / consumer {c.Delivered.ConsumerSeq}, ack floor stream {c.AckFloor.StreamSeq} / consumer {c.AckFloor.ConsumerSeq}");
            }
        }

        return text.ToString();
    }
}
