using Likes.Fixtures;
using Likes.Shared;
using Xunit;

namespace Likes.Aggregator.Tests;

/// <summary>A timeline keeps the newest N likes; its sentinel says what its absence means.</summary>
public class TrimTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly Dictionary<string, string?> SizeTen = new() { ["Timeline:Size"] = "10" };

    private readonly EventPublisher _publisher = new(fixture.JetStream, fixture.Stream);
    private readonly TimelineReader _reader = new(fixture);

    [Fact]
    public async Task FifteenLikes_WithSizeTen_KeepTheNewestTenAndTheSentinel()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture, SizeTen);
        var likes = Enumerable.Range(1, 15).Select(c => _publisher.Like(501, c)).ToList();

        await _publisher.PublishAsync(likes);
        await Aggregators.CaughtUpAsync(_publisher);

        Assert.Equal(likes[5..].Select(e => (e.ContentId, e.AcceptedAtMs)), await _reader.LikesAsync(501));
        Assert.Equal(11, await _reader.CardinalityAsync(501));
    }

    [Fact]
    public async Task CompleteTimeline_BecomesTruncated_WhenTrimmed()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture, SizeTen);
        await _reader.SeedStateAsync(502, TimelineState.Complete);

        await _publisher.PublishAsync(Enumerable.Range(1, 15).Select(c => _publisher.Like(502, c)));
        await Aggregators.CaughtUpAsync(_publisher);

        Assert.Equal(TimelineState.Truncated, await _reader.StateAsync(502));
        Assert.Equal(11, await _reader.CardinalityAsync(502));
    }

    [Fact]
    public async Task CompleteTimeline_StaysComplete_WhileWithinSize()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture, SizeTen);
        await _reader.SeedStateAsync(503, TimelineState.Complete);

        await _publisher.PublishAsync(Enumerable.Range(1, 10).Select(c => _publisher.Like(503, c)));
        await Aggregators.CaughtUpAsync(_publisher);

        Assert.Equal(TimelineState.Complete, await _reader.StateAsync(503));
        Assert.Equal(10, (await _reader.LikesAsync(503)).Count);
    }

    [Fact]
    public async Task MissingTimeline_StartsPartial_AndStaysPartialWhenTrimmed()
    {
        await using var aggregator = await Aggregators.StartAsync(fixture, SizeTen);
        Assert.Equal(TimelineState.Missing, await _reader.StateAsync(504));

        await _publisher.PublishAsync(_publisher.Like(504, 1));
        await Aggregators.CaughtUpAsync(_publisher);
        Assert.Equal(TimelineState.Partial, await _reader.StateAsync(504));

        await _publisher.PublishAsync(Enumerable.Range(2, 14).Select(c => _publisher.Like(504, c)));
        await Aggregators.CaughtUpAsync(_publisher);
        Assert.Equal(TimelineState.Partial, await _reader.StateAsync(504));
        Assert.Equal(11, await _reader.CardinalityAsync(504));
    }
}
