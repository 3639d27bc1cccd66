using Likes.Fixtures;
using Likes.Shared.Consuming;
using Likes.Shared.Events;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Likes.Aggregator.Tests;

/// <summary>I4: a batch applied again (its ack was lost, its worker died) changes no final state.</summary>
public class RedeliveryTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task SameBatchAppliedTwice_LeavesTheTimelinesOfApplyingItOnce()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        var handler = aggregator.Services.GetRequiredService<IEventBatchHandler>();
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        var model = new TimelineModel();
        var random = new Random(7);
        var earlier = Enumerable.Range(0, 60).Select(_ => publisher.Like(random.Next(301, 311), random.Next(1, 8))).ToList();
        var batch = Enumerable.Range(0, 400)
            .Select(_ => publisher.Event(random.Next(301, 311), random.Next(1, 8), random.Next(2) == 0 ? LikeAction.Like : LikeAction.Unlike))
            .ToList();
        model.Apply(earlier);
        model.Apply(batch);

        await handler.ApplyAsync(Batches.At(60, earlier), CancellationToken.None);
        await handler.ApplyAsync(Batches.At(460, batch), CancellationToken.None);
        var reader = new TimelineReader(fixture);
        await reader.AssertHoldsAsync(model);

        await handler.ApplyAsync(Batches.At(460, batch), CancellationToken.None);
        await reader.AssertHoldsAsync(model);
    }

    [Fact]
    public async Task ReplayFromAnEarlierPoint_WithOtherBatchBoundaries_EndsInTheModelsState()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        var handler = aggregator.Services.GetRequiredService<IEventBatchHandler>();
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        var model = new TimelineModel();
        var random = new Random(11);
        var events = Enumerable.Range(0, 600)
            .Select(_ => publisher.Event(random.Next(321, 326), random.Next(1, 5), random.Next(3) == 0 ? LikeAction.Unlike : LikeAction.Like))
            .ToList();
        model.Apply(events);

        // Delivered as 0..400, crashed before the ack, redelivered from 150 in batches of 100.
        await handler.ApplyAsync(Batches.At(400, events[..400]), CancellationToken.None);
        var through = 150UL;
        foreach (var chunk in events[150..].Chunk(100))
        {
            await handler.ApplyAsync(Batches.At(through += (ulong)chunk.Length, chunk), CancellationToken.None);
        }

        await new TimelineReader(fixture).AssertHoldsAsync(model);
    }
}
