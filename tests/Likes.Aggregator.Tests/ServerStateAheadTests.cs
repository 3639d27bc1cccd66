using System.Globalization;
using System.Text.RegularExpressions;
using Likes.Fixtures;
using Likes.Shared.Partitioning;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Xunit;

namespace Likes.Aggregator.Tests;

/// <summary>
/// The server's consumer state says events of a partition are done that the aggregator never applied (here a
/// stray client acked them; nats-server has been seen to move consumers past undelivered events on its own).
/// The aggregator goes by what it applied and what the stream holds: it applies them, in batches no larger
/// than its batch size, and once applied never again after a restart.
/// </summary>
public sealed partial class ServerStateAheadTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private const int BatchSize = 64;
    private const int Passed = 400;

    [Fact]
    public async Task EventsTheConsumerStateSaysAreDone_AreAppliedFromTheStream_InBoundedBatches_AndNotAgainAfterARestart()
    {
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        var users = Enumerable.Range(1, 2000).Select(i => 30_000L + i).Where(u => Partitioner.PartitionOf(u, fixture.Stream.Partitions) == 0).Take(40).ToList();
        var overrides = new Dictionary<string, string?> { ["Consumer:BatchSize"] = BatchSize.ToString(CultureInfo.InvariantCulture) };

        // The aggregator has applied partition 0 up to here and stopped.
        await using (var first = await StartAsync(overrides))
        {
            await publisher.PublishAsync(publisher.Like(users[0], 1));
            await Aggregators.CaughtUpAsync(publisher);
        }

        var likes = Enumerable.Range(0, Passed).Select(i => publisher.Like(users[i % users.Count], 100 + i)).ToList();
        await publisher.PublishAsync(likes);
        await AckEverythingDeliveredAsync("aggregator-p0", likes.Count);

        var timelines = new TimelineReader(fixture);
        await using (var second = await StartAsync(overrides))
        {
            await Eventually.UntilAsync(
                async () => (await Task.WhenAll(users.Select(timelines.LikesAsync))).Sum(l => l.Count(x => x.ContentId >= 100)),
                n => n == Passed, TimeSpan.FromSeconds(60), "every passed-over like in the timelines");
            var batches = await BatchSizesAsync(second.Port);
            Assert.True(batches.Largest <= BatchSize, $"a batch of up to {batches.Largest} events was applied (batch size {BatchSize})");
        }

        await using var third = await StartAsync(overrides);
        // Longer than an idle fetch: the loop has looked at the stream and found nothing it had not applied.
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(0, (await BatchSizesAsync(third.Port)).Count);
    }

    private async Task<RunningAggregator> StartAsync(Dictionary<string, string?> overrides)
    {
        var port = DaemonProcess.FreePort();
        var configuration = fixture.Configuration();
        foreach (var (key, value) in overrides)
        {
            configuration[key] = value;
        }

        var process = DaemonProcess.Start("Likes.Aggregator", configuration, port);
        using var http = new HttpClient();
        await Eventually.UntilAsync(async () =>
        {
            try
            {
                return (await http.GetAsync($"http://127.0.0.1:{port}/healthz/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, what: "the aggregator ready");
        return new RunningAggregator(process, port);
    }

    /// <summary>
    /// A client other than the aggregator takes the consumer's deliveries and acks each, until it has acked every one of
    /// the events: counted by sequence, since one can come twice (its ack late on a loaded machine) while another is
    /// still held by the killed aggregator's pull request, due again only after AckWait.
    /// </summary>
    private async Task AckEverythingDeliveredAsync(string durable, int count)
    {
        var consumer = await fixture.JetStream.GetConsumerAsync(fixture.Stream.Name, durable);
        var taken = new HashSet<ulong>();
        while (taken.Count < count)
        {
            await foreach (var msg in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = Math.Min(BatchSize, count - taken.Count), Expires = TimeSpan.FromSeconds(2) }))
            {
                await msg.AckAsync();
                taken.Add(msg.Metadata?.Sequence.Stream ?? 0);
            }
        }

        await Eventually.UntilAsync(async () => (await fixture.JetStream.GetConsumerAsync(fixture.Stream.Name, durable)).Info.NumAckPending, n => n == 0, what: "the stray acks taken");
    }

    /// <summary>How many batches the process applied and the bound of the largest, from its batch-size histogram.</summary>
    private static async Task<(long Count, double Largest)> BatchSizesAsync(int port)
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        var buckets = BucketLine().Matches(metrics)
            .Select(m => (Bound: m.Groups[1].Value == "+Inf" ? double.PositiveInfinity : double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Count: long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)))
            .OrderBy(b => b.Bound)
            .ToList();
        var total = buckets.Count == 0 ? 0 : buckets[^1].Count;
        var largest = buckets.FirstOrDefault(b => b.Count == total).Bound;
        return (total, total == 0 ? 0 : largest);
    }

    [GeneratedRegex("""^likes_consumer_batch_size_bucket\{worker="aggregator",le="([^"]+)"\} (\d+)""", RegexOptions.Multiline)]
    private static partial Regex BucketLine();

    private sealed record RunningAggregator(DaemonProcess Process, int Port) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }
}
