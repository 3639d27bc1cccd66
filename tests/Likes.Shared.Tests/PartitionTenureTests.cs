using Likes.Shared.Ownership;
using Xunit;

namespace Likes.Shared.Tests;

public class PartitionTenureTests
{
    [Fact]
    public void ALeaseNotRenewedWithinTheTrustPeriod_IsNotValid_ThoughStillHeld()
    {
        var clock = new SteppedClock();
        using var tenure = new PartitionTenure(3, TimeSpan.FromSeconds(5), clock);
        tenure.Renewed(clock.GetTimestamp(), revision: 7);

        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.True(tenure.Valid);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        Assert.False(tenure.Valid);
        Assert.True(tenure.Holding);
    }

    [Fact]
    public async Task AHandOver_EndsTheLoop_AndTheLeaseStartsAgainOnlyWhenClaimedAnew()
    {
        var clock = new SteppedClock();
        using var tenure = new PartitionTenure(0, TimeSpan.FromSeconds(5), clock);
        var waiting = tenure.StartAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        tenure.Renewed(clock.GetTimestamp(), 1);
        var ending = await waiting;
        tenure.Release();
        Assert.True(ending.IsCancellationRequested);
        tenure.Stopped();

        tenure.Lose();
        var again = tenure.StartAsync(CancellationToken.None);
        Assert.False(again.IsCompleted);
        tenure.Renewed(clock.GetTimestamp(), 2);
        Assert.False((await again).IsCancellationRequested);
    }

    /// <summary>A clock that moves only when told.</summary>
    private sealed class SteppedClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
