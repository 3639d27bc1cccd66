using Likes.Shared;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likes.Reheater;

/// <summary>
/// Rebuilds one user's timeline from PostgreSQL: one rebuild per user at a time across every replica (a
/// Redis lock), skipped when the timeline is already whole, retried while PostgreSQL is behind what the
/// timeline holds, and written atomically.
/// </summary>
public sealed class TimelineRebuilder(
    TimelineSource source,
    TimelineStore timelines,
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IOptions<ReheaterOptions> options,
    ReheaterMetrics metrics)
{
    public async Task<RebuildOutcome> RebuildAsync(long userId, CancellationToken cancellationToken)
    {
        var state = await timelines.StateAsync(userId);
        if (state is TimelineState.Complete or TimelineState.Truncated)
        {
            return RebuildOutcome.AlreadyWhole;
        }

        var db = redis.GetDatabase();
        var lockKey = keys.RebuildLock(userId);
        var token = Guid.NewGuid().ToString("N");
        if (!await db.StringSetAsync(lockKey, token, options.Value.LockTtl, When.NotExists))
        {
            return RebuildOutcome.Busy;
        }

        try
        {
            for (var attempt = 1; attempt <= options.Value.BehindAttempts; attempt++)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                var snapshot = await source.ReadAsync(userId, timelines.Size, cancellationToken);
                var complete = snapshot.Newest.Count <= timelines.Size;
                var newest = complete ? snapshot.Newest : snapshot.Newest.Take(timelines.Size).ToList();
                if (await timelines.ReplaceAsync(userId, snapshot.Covers, complete ? TimelineState.Complete : TimelineState.Truncated, newest))
                {
                    metrics.Rebuilt(newest.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started));
                    return RebuildOutcome.Rebuilt;
                }

                metrics.Behind();
                await Task.Delay(options.Value.BehindRetry, cancellationToken);
            }

            return RebuildOutcome.StillBehind;
        }
        finally
        {
            await db.ScriptEvaluateAsync(
                "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
                [lockKey], [token]);
        }
    }
}

public enum RebuildOutcome
{
    Rebuilt,
    AlreadyWhole,
    Busy,
    StillBehind,
}
