using System.Globalization;
using Dapper;
using Likes.Fixtures;
using Likes.Shared;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Likes.Reheater.Tests;

/// <summary>A reheater with timelines of N = 10 on a fixture's slice, and the seeding and reading its tests share.</summary>
public sealed class ReheaterStack(StackFixture stack) : IAsyncDisposable
{
    public const int Size = 10;

    public DaemonHost Reheater { get; private set; } = null!;

    public RedisKeys Keys { get; } = new(stack.KeyPrefix);

    public IDatabase Redis => stack.Redis.GetDatabase();

    public TimelineRebuilder Rebuilder => Reheater.Services.GetRequiredService<TimelineRebuilder>();

    public Dictionary<string, string?> Configuration()
    {
        var c = stack.Configuration();
        c["Timeline:Size"] = Size.ToString(CultureInfo.InvariantCulture);
        c["Reheater:BehindAttempts"] = "3";
        c["Reheater:BehindRetry"] = "00:00:00.050";
        return c;
    }

    public async Task<ReheaterStack> StartAsync()
    {
        Reheater = await DaemonHost.StartAsync("reheater", b => b.AddReheater(), Configuration());
        return this;
    }

    public async ValueTask DisposeAsync() => await Reheater.DisposeAsync();

    /// <summary>The user likes contents firstContent … firstContent + likes − 1, one second apart, oldest first.</summary>
    public async Task SeedAsync(long user, int likes, long firstContent)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        await c.ExecuteAsync(
            "INSERT INTO likes SELECT @user, @firstContent + i, to_timestamp((1764000000000 + i * 1000) / 1000.0) FROM generate_series(0, @likes - 1) i",
            new { user, likes, firstContent });
    }

    public async Task<List<long>> TimelineAsync(long user)
        => (await Redis.SortedSetRangeByRankAsync(Keys.Timeline(user), 0, -1, Order.Descending))
            .Where(TimelineSentinel.IsContent).Select(v => long.Parse((string)v!, CultureInfo.InvariantCulture)).ToList();

    public Task<TimelineState> StateAsync(long user) => Reheater.Services.GetRequiredService<TimelineStore>().StateAsync(user);

    public Task<StoredFilter?> FilterAsync(long user) => StoredFilter.ReadAsync(Redis, Keys, user);

    public async Task<List<long>> LikesInPostgresAsync(long user)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        return [.. await c.QueryAsync<long>("SELECT content_id FROM likes WHERE user_id = @user", new { user })];
    }
}
