using Dapper;
using Likes.Fixtures;
using Likes.Reconciler;
using Likes.Shared;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Likes.Reconciler.Tests;

/// <summary>Seeds and reads a fixture's stores the way a fault (or an auditor) would, behind the daemons' backs.</summary>
internal sealed class Stack(StackFixture fixture)
{
    public StackFixture Fixture => fixture;

    public RedisKeys Keys { get; } = new(fixture.KeyPrefix);

    /// <summary>The fixture's configuration plus the reconciler's, with a short grace so "long ago" is seconds.</summary>
    public Dictionary<string, string?> Configuration(IDictionary<string, string?>? overrides = null)
    {
        var configuration = fixture.Configuration();
        configuration["Reconciler:Grace"] = "00:00:02";
        configuration["Reconciler:FullAuditPause"] = "00:00:00";
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return configuration;
    }

    /// <summary>The reconciliation services alone, as <c>reconcile</c> builds them (no scheduler).</summary>
    public Task<DaemonHost> ServicesAsync(IDictionary<string, string?>? overrides = null)
        => DaemonHost.StartAsync("reconciler", b => b.AddReconciliation(), Configuration(overrides));

    /// <summary>The daemon: services, clustered Quartz scheduler and readiness.</summary>
    public Task<DaemonHost> DaemonAsync(IDictionary<string, string?>? overrides = null)
        => DaemonHost.StartAsync("reconciler", b => b.AddReconciler(), Configuration(overrides));

    /// <summary>Likes rows straight into PostgreSQL (users 1..n of the content), without touching the count row.</summary>
    public async Task InsertLikesAsync(long content, int users, long firstUser = 1)
    {
        await using var c = await fixture.Postgres.OpenConnectionAsync();
        await c.ExecuteAsync("INSERT INTO likes (user_id, content_id, created_at) SELECT u, @content, now() FROM generate_series(@first, @last) u",
            new { content, first = firstUser, last = firstUser + users - 1 });
    }

    /// <summary>A count row as given, changed <paramref name="age"/> ago.</summary>
    public async Task SetCountRowAsync(long content, long count, long version, TimeSpan age)
    {
        await using var c = await fixture.Postgres.OpenConnectionAsync();
        await c.ExecuteAsync("""
            INSERT INTO content_like_counts (content_id, like_count, version, updated_at, touched_at)
            VALUES (@content, @count, @version, now() - @seconds * interval '1 second', now() - @seconds * interval '1 second')
            ON CONFLICT (content_id) DO UPDATE SET like_count = excluded.like_count, version = excluded.version, updated_at = excluded.updated_at, touched_at = excluded.touched_at
            """, new { content, count, version, seconds = age.TotalSeconds });
    }

    public async Task<CounterValue?> CountRowAsync(long content)
    {
        await using var c = await fixture.Postgres.OpenConnectionAsync();
        var row = await c.QuerySingleOrDefaultAsync<(long, long)?>("SELECT like_count, version FROM content_like_counts WHERE content_id = @content", new { content });
        return row is { } r ? new CounterValue(r.Item1, r.Item2) : null;
    }

    public async Task<long> RowsAsync(long content)
    {
        await using var c = await fixture.Postgres.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM likes WHERE content_id = @content", new { content });
    }

    public Task SetRedisAsync(long content, string value) => SetRedisAsync(fixture.Redis.GetDatabase(), content, value);

    /// <summary>Plants a counter as is, bypassing set-if-newer (on a batch, when given one).</summary>
    public Task SetRedisAsync(IDatabaseAsync db, long content, string value) => db.HashSetAsync(Keys.CounterBucket(content), RedisKeys.CounterField(content), value);

    public async Task<string?> RedisAsync(long content) => await CounterStore.Read(fixture.Redis.GetDatabase(), Keys, content);
}

internal static class HostExtensions
{
    public static T Get<T>(this DaemonHost host)
        where T : notnull
        => host.Services.GetRequiredService<T>();

    public static IEnumerable<Finding> About(this ReconcileReport report, long content)
        => report.Findings.Where(f => f.ContentId == content);
}
