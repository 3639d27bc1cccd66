using Likes.Fixtures;
using Xunit;

namespace Likes.Reconciler.Tests;

/// <summary>The recent job against Redis counters made wrong behind the persister's back (grace: 2 s).</summary>
public class RedisDriftTests(StackFixture fixture) : IClassFixture<StackFixture>, IAsyncLifetime
{
    private readonly Stack _stack = new(fixture);
    private DaemonHost _host = null!;

    public async Task InitializeAsync() => _host = await _stack.ServicesAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<ReconcileReport> ReconcileAsync() => _host.Get<RecentReconciliation>().RunAsync(CancellationToken.None);

    [Fact]
    public async Task ACounterWithTheRowsVersionButAnotherCount_IsDrift_AndIsRepaired()
    {
        const long content = 101;
        await _stack.SetCountRowAsync(content, count: 5, version: 3, age: TimeSpan.FromSeconds(1));
        await _stack.SetRedisAsync(content, "4:3");

        var report = await ReconcileAsync();

        var finding = Assert.Single(report.About(content));
        Assert.Equal(Stores.Redis, finding.Store);
        Assert.True(finding.Repaired);
        Assert.Equal("5:3", await _stack.RedisAsync(content));
    }

    [Fact]
    public async Task ACounterWithAVersionPostgresNeverReached_IsDrift_AndIsRepairedDownToTheRow()
    {
        const long content = 102;
        await _stack.SetCountRowAsync(content, count: 7, version: 4, age: TimeSpan.FromSeconds(1));
        await _stack.SetRedisAsync(content, "70:40");

        var report = await ReconcileAsync();

        Assert.True(Assert.Single(report.About(content)).Repaired);
        Assert.Equal("7:4", await _stack.RedisAsync(content));
    }

    [Fact]
    public async Task ACounterBehindARowThatChangedWithinGrace_IsLag_NotDrift()
    {
        const long content = 103;
        await _stack.SetCountRowAsync(content, count: 8, version: 6, age: TimeSpan.Zero);
        await _stack.SetRedisAsync(content, "7:5");

        var report = await ReconcileAsync();

        Assert.Empty(report.About(content));
        Assert.Equal(0, report.RedisDrift);
        Assert.True(report.Lag >= 1);
        // Set-if-newer is harmless even for lag, so the counter is brought forward all the same.
        Assert.Equal("8:6", await _stack.RedisAsync(content));
    }

    [Fact]
    public async Task ACounterBehindARowOlderThanGrace_IsALostWrite_AndIsRepaired()
    {
        const long content = 104;
        await _stack.SetCountRowAsync(content, count: 9, version: 7, age: TimeSpan.FromSeconds(5));
        await _stack.SetRedisAsync(content, "8:6");

        var report = await ReconcileAsync();

        var finding = Assert.Single(report.About(content));
        Assert.Equal(CounterVerdict.LostWrite.Describe(), finding.Kind);
        Assert.True(finding.Repaired);
        Assert.Equal("9:7", await _stack.RedisAsync(content));
    }

    [Fact]
    public async Task AMissingCounter_IsNotDrift_AndIsNotCreated()
    {
        const long content = 105;
        await _stack.SetCountRowAsync(content, count: 3, version: 2, age: TimeSpan.FromSeconds(5));

        var report = await ReconcileAsync();

        Assert.Empty(report.About(content));
        Assert.True(report.RedisMissing >= 1);
        Assert.Null(await _stack.RedisAsync(content));
    }

    [Fact]
    public async Task AnUnreadableCounter_IsDrift_AndIsRepaired()
    {
        const long content = 106;
        await _stack.SetCountRowAsync(content, count: 2, version: 2, age: TimeSpan.FromSeconds(1));
        await _stack.SetRedisAsync(content, "garbage");

        var report = await ReconcileAsync();

        Assert.True(Assert.Single(report.About(content)).Repaired);
        Assert.Equal("2:2", await _stack.RedisAsync(content));
    }

    [Fact]
    public async Task ASecondRun_FindsNothingLeft()
    {
        const long content = 107;
        await _stack.SetCountRowAsync(content, count: 11, version: 9, age: TimeSpan.FromSeconds(1));
        await _stack.SetRedisAsync(content, "12:9");

        await ReconcileAsync();
        var again = await ReconcileAsync();

        Assert.Empty(again.About(content));
        Assert.Equal("11:9", await _stack.RedisAsync(content));
    }
}
