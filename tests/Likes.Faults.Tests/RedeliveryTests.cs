using System.Globalization;
using Likes.Faults.Tests.Scenarios;
using Likes.Faults.Tests.Stack;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Streams;
using NATS.Client.JetStream;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>
/// A consumer reset: the persister's durable consumers deleted and recreated, so a fresh persister process is
/// delivered again, in one go, everything still in the stream, all of which it had already applied (I4).
/// The aggregator is paused meanwhile: its interest keeps the events in the stream (interest retention).
/// </summary>
[Collection(PrivateStackCollection.Name)]
public sealed class RedeliveryTests(PrivateStack stack, ITestOutputHelper output)
{
    private static readonly StreamOptions Stream = new();

    [Fact]
    public async Task APersisterConsumerReset_RedeliversWhatItApplied_AndNothingMovesTwice()
    {
        long redelivered = 0;
        var plan = new FaultPlan(13, "consumer redelivers a whole batch", "aggregator paused; persister killed, its consumers deleted and recreated (deliver all), restarted",
            async c => redelivered = await ResetPersisterAsync(c),
            async c =>
            {
                await c.Faults.ResumeAsync("aggregator");
                await c.Faults.RestartMissingAsync();
            });

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        Assert.True(redelivered > 0, "the reset left nothing to redeliver");
    }

    private static async Task<long> ResetPersisterAsync(FaultContext context)
    {
        await context.Faults.PauseAsync("aggregator");
        await Task.Delay(context.Size.Hold);
        await context.Faults.KillAsync("persister");
        await using var nats = context.Stack.ConnectNats();
        var js = new NatsJSContext(nats);
        var consumer = new ConsumerOptions();
        for (var p = 0; p < Stream.Partitions; p++)
        {
            var config = LikesTopology.EventConsumer(Stream, consumer, "persister", p);
            await js.DeleteConsumerAsync(Stream.Name, config.Name!);
            await js.CreateOrUpdateConsumerAsync(Stream.Name, config);
        }

        var events = (await js.GetStreamAsync(Stream.Name)).Info.State.Messages;
        context.Notes.Add(string.Create(CultureInfo.InvariantCulture, $"{events:N0} events in the stream delivered again"));
        return events;
    }
}
