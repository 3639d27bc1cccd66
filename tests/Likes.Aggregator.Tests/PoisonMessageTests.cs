using System.Text;
using Likes.Fixtures;
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
}
