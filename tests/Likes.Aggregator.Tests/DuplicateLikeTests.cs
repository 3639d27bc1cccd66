using Likes.Fixtures;
using Likes.Shared.Consuming;
using Likes.Shared.Events;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Likes.Aggregator.Tests;

/// <summary>A repeated like changes nothing (ZADD NX): the like time is the first like's, however the events are batched.</summary>
public class DuplicateLikeTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private readonly EventPublisher _publisher = new(fixture.JetStream, fixture.Stream);
    private readonly TimelineReader _reader = new(fixture);
    private readonly Batches _batches = new();

    [Fact]
    public async Task LikeTwice_ThroughTheStream_KeepsOneMemberWithTheFirstLikesTime()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        var first = _publisher.Like(201, 31);
        var second = _publisher.Like(201, 31);

        await _publisher.PublishAsync([first, second]);
        await Aggregators.CaughtUpAsync(_publisher);

        Assert.Equal([(31L, first.AcceptedAtMs)], await _reader.LikesAsync(201));
        Assert.Equal(2, await _reader.CardinalityAsync(201));
    }

    [Fact]
    public async Task LikeTwice_InOneBatch_KeepsTheFirstLikesTime()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        var handler = aggregator.Services.GetRequiredService<IEventBatchHandler>();
        var first = _publisher.Like(202, 32);
        var second = _publisher.Like(202, 32);

        await handler.ApplyAsync(_batches.Next(first, second), CancellationToken.None);

        Assert.Equal([(32L, first.AcceptedAtMs)], await _reader.LikesAsync(202));
    }

    [Fact]
    public async Task LikeTwice_InSeparateBatches_KeepsTheFirstLikesTime()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        var handler = aggregator.Services.GetRequiredService<IEventBatchHandler>();
        var first = _publisher.Like(203, 33);
        var second = _publisher.Like(203, 33);

        await handler.ApplyAsync(_batches.Next(first), CancellationToken.None);
        await handler.ApplyAsync(_batches.Next(second), CancellationToken.None);

        Assert.Equal([(33L, first.AcceptedAtMs)], await _reader.LikesAsync(203));
    }

    [Fact]
    public async Task Relike_AfterUnlikeInTheSameBatch_TakesTheNewLikesTime()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture);
        var handler = aggregator.Services.GetRequiredService<IEventBatchHandler>();
        var original = _publisher.Like(204, 34);
        var unlike = _publisher.Unlike(204, 34);
        var relike = _publisher.Like(204, 34);
        var again = _publisher.Like(204, 34);

        await handler.ApplyAsync(_batches.Next(original), CancellationToken.None);
        await handler.ApplyAsync(_batches.Next(unlike, relike, again), CancellationToken.None);

        Assert.Equal([(34L, relike.AcceptedAtMs)], await _reader.LikesAsync(204));
    }
}
