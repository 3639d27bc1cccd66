using Likes.Fixtures;
using StackExchange.Redis;
using Xunit;

namespace Likes.Shared.Tests;

/// <summary>
/// <see cref="RedisScript"/> runs a script by its SHA1 and, where the server does not hold it (<c>NOSCRIPT</c>: a
/// restarted or flushed server, a promoted replica), by its text, on a batch too, in the real Redis. Each test's script
/// is new to the server: its text carries a fresh id.
/// </summary>
public sealed class RedisScriptTests : IAsyncLifetime
{
    private readonly string _id = Guid.NewGuid().ToString("N");
    private ConnectionMultiplexer _redis = null!;

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(TestServers.Redis);

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task TheSha1_IsTheOneRedisKnowsTheScriptBy()
    {
        var script = Script();
        var loaded = (string?)await _redis.GetDatabase().ExecuteAsync("SCRIPT", "LOAD", script.Text);
        Assert.Equal(loaded, script.Sha1);
    }

    [Fact]
    public async Task AScriptTheServerDoesNotHold_RunsByItsText_ThenByItsSha1()
    {
        var script = Script();
        var db = _redis.GetDatabase();
        Assert.False(await Held(script));

        Assert.Equal("7:" + _id, (string?)await script.EvaluateAsync(db, ["k"], [7]));
        Assert.True(await Held(script));
        Assert.Equal("8:" + _id, (string?)await script.EvaluateAsync(db, ["k"], [8]));
    }

    [Fact]
    public async Task AScriptTheServerDoesNotHold_QueuedOnABatch_IsAnsweredAfterTheBatchWasSent()
    {
        var script = Script();
        var batch = _redis.GetDatabase().CreateBatch();
        var first = script.EvaluateAsync(batch, ["k"], [1]);
        var second = script.EvaluateAsync(batch, ["k"], [2]);
        batch.Execute();

        var answers = await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(["1:" + _id, "2:" + _id], answers.Select(a => (string?)a));
    }

    private RedisScript Script() => new($"return ARGV[1] .. ':{_id}'");

    private async Task<bool> Held(RedisScript script)
        => (int)(await _redis.GetDatabase().ExecuteAsync("SCRIPT", "EXISTS", script.Sha1))[0] == 1;
}
