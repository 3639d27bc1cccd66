using System.Globalization;
using System.Text;
using Likes.Faults.Tests.Scenarios;
using Likes.Faults.Tests.Stack;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Streams;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>Messages that are not events, published straight onto the stream among real ones: set aside with the reason, the rest flows.</summary>
[Collection(PrivateStackCollection.Name)]
public sealed class PoisonMessageTests(PrivateStack stack, ITestOutputHelper output)
{
    private static readonly StreamOptions Stream = new();

    [Fact]
    public async Task PoisonMessages_AreDeadLetteredByBothWorkers_AndEveryOtherEventFlows()
    {
        var published = new List<ulong>();
        var plan = new FaultPlan(11, "poison messages", "garbage bytes, JSON with bad fields and an unknown version, published onto the partitions",
            c => PublishPoisonAsync(c, published),
            _ => Task.CompletedTask);

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        var letters = await DeadLettersAsync();
        foreach (var worker in LikesTopology.EventConsumers)
        {
            var set = letters.Where(l => l.Worker == worker && published.Contains(l.Sequence)).ToList();
            Assert.Equal(published.Order(), set.Select(l => l.Sequence).Order());
            Assert.All(set, l => Assert.False(string.IsNullOrWhiteSpace(l.Reason)));
        }
    }

    private static async Task PublishPoisonAsync(FaultContext context, List<ulong> published)
    {
        await using var nats = context.Stack.ConnectNats();
        var js = new NatsJSContext(nats);
        var random = new Random(11);
        for (var i = 0; i < context.Size.PoisonPerKind; i++)
        {
            foreach (var payload in Poison(random, context.SpareUser(i)))
            {
                var ack = await js.PublishAsync(Stream.EventSubject(random.Next(Stream.Partitions)), payload);
                ack.EnsureSuccess();
                published.Add(ack.Seq);
            }
        }

        context.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"{published.Count} poison messages"));
    }

    /// <summary>One of each kind: bytes that are not JSON, an event with a field out of range, an event of a version nobody knows.</summary>
    private static IEnumerable<byte[]> Poison(Random random, long user)
    {
        var garbage = new byte[1 + random.Next(64)];
        random.NextBytes(garbage);
        garbage[0] = 0xFF;
        yield return garbage;
        var id = Guid.NewGuid().ToString("N");
        yield return Encoding.UTF8.GetBytes(random.Next(2) == 0
            ? $$"""{"v":1,"id":"{{id}}","u":-{{user}},"c":7,"a":"L","t":1764000000123}"""
            : $$"""{"v":1,"id":"{{id}}","u":{{user}},"c":7,"a":"X","t":1764000000123}""");
        yield return Encoding.UTF8.GetBytes($$"""{"v":2,"id":"{{id}}","u":{{user}},"c":7,"a":"L","t":1764000000123}""");
    }

    private async Task<List<(string Worker, ulong Sequence, string Reason)>> DeadLettersAsync()
    {
        await using var nats = stack.ConnectNats();
        var js = new NatsJSContext(nats);
        var consumer = await js.CreateOrderedConsumerAsync(Stream.DeadLetterStreamName);
        var letters = new List<(string, ulong, string)>();
        await foreach (var msg in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 100_000 }))
        {
            var headers = msg.Headers!;
            letters.Add((headers[DeadLetters.WorkerHeader].ToString(),
                ulong.Parse(headers[DeadLetters.SourceSequenceHeader].ToString(), CultureInfo.InvariantCulture),
                headers[DeadLetters.ReasonHeader].ToString()));
        }

        return letters;
    }
}
