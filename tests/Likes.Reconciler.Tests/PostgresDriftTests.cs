using Likes.Fixtures;
using Likes.Shared;
using Xunit;

namespace Likes.Reconciler.Tests;

/// <summary>The full audit against count rows made wrong behind the persister's back.</summary>
public class PostgresDriftTests(StackFixture fixture) : IClassFixture<StackFixture>, IAsyncLifetime
{
    private readonly Stack _stack = new(fixture);
    private DaemonHost _host = null!;

    public async Task InitializeAsync() => _host = await _stack.ServicesAsync(new Dictionary<string, string?>
    {
        // Small steps, so a handful of contents already spans several keyset steps.
        ["Reconciler:FullAuditBatch"] = "3",
        ["Reconciler:BatchSize"] = "2",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<ReconcileReport> AuditAsync() => _host.Get<FullAudit>().RunAsync(CancellationToken.None);

    [Fact]
    public async Task ACountRowSetWrong_IsRepairedFromCountStar_WithANewVersion_AndRedisFollows()
    {
        const long content = 201;
        await _stack.InsertLikesAsync(content, users: 12);
        await _stack.SetCountRowAsync(content, count: 15, version: 4, age: TimeSpan.FromMinutes(5));
        await _stack.SetRedisAsync(content, "15:4");

        var report = await AuditAsync();

        var finding = Assert.Single(report.About(content));
        Assert.Equal(Stores.Postgres, finding.Store);
        Assert.True(finding.Repaired);
        Assert.Equal(new CounterValue(12, 5), await _stack.CountRowAsync(content));
        Assert.Equal("12:5", await _stack.RedisAsync(content));
    }

    [Fact]
    public async Task LikesWithoutACountRow_GetOne_AndRedisFollows()
    {
        const long content = 202;
        await _stack.InsertLikesAsync(content, users: 4);

        var report = await AuditAsync();

        Assert.True(Assert.Single(report.About(content)).Repaired);
        Assert.Equal(new CounterValue(4, 1), await _stack.CountRowAsync(content));
        Assert.Equal("4:1", await _stack.RedisAsync(content));
    }

    [Fact]
    public async Task ACountRowWithoutLikes_GoesToZero()
    {
        const long content = 203;
        await _stack.SetCountRowAsync(content, count: 3, version: 2, age: TimeSpan.FromMinutes(5));

        await AuditAsync();

        Assert.Equal(new CounterValue(0, 3), await _stack.CountRowAsync(content));
    }

    [Fact]
    public async Task ARecreatedRowBehindAStaleHigherRedisVersion_EndsWithRedisAtTheRow()
    {
        // The count row was lost and is recreated at version 1, while Redis still holds version 57.
        const long content = 204;
        await _stack.InsertLikesAsync(content, users: 6);
        await _stack.SetRedisAsync(content, "99:57");

        await AuditAsync();

        Assert.Equal(new CounterValue(6, 1), await _stack.CountRowAsync(content));
        Assert.Equal("6:1", await _stack.RedisAsync(content));
    }

    [Fact]
    public async Task RightCountRows_AreLeftAlone()
    {
        const long content = 205;
        await _stack.InsertLikesAsync(content, users: 5);
        await _stack.SetCountRowAsync(content, count: 5, version: 8, age: TimeSpan.FromMinutes(5));

        var report = await AuditAsync();

        Assert.Empty(report.About(content));
        Assert.Equal(new CounterValue(5, 8), await _stack.CountRowAsync(content));
    }
}
