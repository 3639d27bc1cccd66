using System.Text;
using Likes.Fixtures;
using Likes.Shared.Events;
using Likes.Shared.Consuming;
using Likes.Shared.Partitioning;
using NATS.Client.JetStream;
using Xunit;

namespace Likes.Aggregator.Tests;

public class PoisonMessageTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task GarbageBytes_GoToTheDeadLetterStreamWithAReason_AndLaterLikesAreApplied()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        const long user = 601;
        var partition = Partitioner.PartitionOf(user, fixture.Stream.Partitions);
        var garbage = Encoding.UTF8.GetBytes("\u0001not an event{{");

        await publisher.PublishRawAsync(partition, garbage);
        var after = new[] { publisher.Like(user, 1), publisher.Like(user, 2), publisher.Unlike(user, 1) };
        await publisher.PublishAsync(after);
        await Aggregators.CaughtUpAsync(publisher);

        Assert.Equal([(2L, after[1].AcceptedAtMs)], await new TimelineReader(fixture).LikesAsync(user));

        var subject = fixture.Stream.DeadLetterSubject("aggregator");
        var letters = await fixture.JetStream.CreateOrderedConsumerAsync(
            fixture.Stream.DeadLetterStreamName, new NatsJSOrderedConsumerOpts { FilterSubjects = [subject] });
        var letter = await letters.NextAsync<byte[]>(opts: new NatsJSNextOpts { Expires = TimeSpan.FromSeconds(5) });

        Assert.NotNull(letter);
        Assert.Equal(subject, letter.Subject);
        Assert.Equal(garbage, letter.Data);
        Assert.NotNull(letter.Headers);
        Assert.False(string.IsNullOrWhiteSpace(letter.Headers[DeadLetters.ReasonHeader]), "the dead letter says why");
        Assert.Equal(fixture.Stream.EventSubject(partition), letter.Headers[DeadLetters.SourceSubjectHeader]);
    }

    [Fact]
    public async Task SeededPoison_AmongLikes_IsAllDeadLetteredWithAOneLineReason_AndEveryLikeIsApplied()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        const long user = 602;
        var partition = Partitioner.PartitionOf(user, fixture.Stream.Partitions);
        var poison = new PoisonEvents(602);
        var rejected = 0;
        var likes = new List<long>();
        for (var i = 1; i <= 40; i++)
        {
            var payload = poison.Next();
            if (!LikeEventCodec.TryDecode(payload, out _, out _))
            {
                // Only what the decoder refuses is poison here: a mutation that still decodes is some other user's like.
                await publisher.PublishRawAsync(partition, payload);
                rejected++;
            }

            await publisher.PublishAsync(publisher.Like(user, i));
            likes.Add(i);
        }

        await Aggregators.CaughtUpAsync(publisher);

        Assert.Equal(likes, (await new TimelineReader(fixture).LikesAsync(user)).Select(l => l.ContentId).Order());
        var subject = fixture.Stream.DeadLetterSubject("aggregator");
        var letters = await fixture.JetStream.CreateOrderedConsumerAsync(
            fixture.Stream.DeadLetterStreamName, new NatsJSOrderedConsumerOpts { FilterSubjects = [subject] });
        var reasons = new List<string>();
        await foreach (var letter in letters.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = rejected, Expires = TimeSpan.FromSeconds(5) }))
        {
            reasons.Add(letter.Headers![DeadLetters.ReasonHeader].ToString());
        }

        Assert.True(rejected > 20, $"only {rejected} of 40 payloads were poison");
        Assert.Equal(rejected, reasons.Count);
        Assert.All(reasons, r => Assert.False(string.IsNullOrWhiteSpace(r) || r.Contains('\n', StringComparison.Ordinal) || r.Contains('\r', StringComparison.Ordinal), r));
    }
}
