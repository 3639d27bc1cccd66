using Likes.Shared;
using Xunit;

namespace Likes.Persister.Tests;

public class CounterPacingTests
{
    private const long Interval = 100;

    private static KeyValuePair<long, CounterValue> Count(long content, long count) => new(content, new CounterValue(count, count));

    [Fact]
    public void AContentNotWrittenWithinTheInterval_IsWrittenAtOnce()
    {
        var pacing = new CounterPacing(Interval);

        Assert.Equal([Count(1, 1), Count(2, 1)], pacing.Admit([Count(1, 1), Count(2, 1)], now: 0));
        Assert.Equal([Count(3, 1)], pacing.Admit([Count(3, 1)], now: 50));
        Assert.Equal([Count(1, 2)], pacing.Admit([Count(1, 2)], now: 100));
    }

    [Fact]
    public void CountsWithinTheInterval_Wait_AndOnlyTheNewestIsWrittenAtTheSlot()
    {
        var pacing = new CounterPacing(Interval);
        pacing.Admit([Count(1, 1)], now: 0);

        Assert.Empty(pacing.Admit([Count(1, 3)], now: 10));
        Assert.Empty(pacing.Admit([Count(1, 2)], now: 20));
        Assert.Empty(pacing.Release(now: 99));
        Assert.Equal([Count(1, 3)], pacing.Release(now: 100));

        // The released write starts the content's next interval.
        Assert.Empty(pacing.Admit([Count(1, 4)], now: 150));
        Assert.Equal([Count(1, 4)], pacing.Release(now: 200));
        Assert.Equal(0, pacing.Waiting);
    }

    [Fact]
    public void AHotContent_GetsOneWritePerInterval_WhateverTheRate()
    {
        var pacing = new CounterPacing(Interval);
        var writes = 0;
        for (long now = 0, count = 1; now < 1000; now++, count++)
        {
            writes += pacing.Admit([Count(1, count)], now).Count;
        }

        Assert.Equal(10, writes);
    }

    [Fact]
    public void Drain_WritesEveryWaitingCount()
    {
        var pacing = new CounterPacing(Interval);
        pacing.Admit([Count(1, 1), Count(2, 1)], now: 0);
        pacing.Admit([Count(1, 2), Count(2, 2)], now: 1);

        Assert.Equal([Count(1, 2), Count(2, 2)], pacing.Drain().OrderBy(c => c.Key));
        Assert.Equal(0, pacing.Waiting);
    }
}
