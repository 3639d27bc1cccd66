using System.Diagnostics;
using Likes.Shared;
using Likes.Shared.Bloom;
using Likes.Shared.Configuration;
using Likes.Shared.Partitioning;
using Likes.Shared.Reheating;
using Likes.Shared.Streams;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Likes.Reheater;

/// <summary>
/// Rebuilds one user's Redis state from PostgreSQL: the timeline (newest N) and, for a heavy user, the Bloom
/// filter of all their likes. Skipped when the state is already whole (a complete timeline, or a truncated one with a
/// filter that fits) unless the request is a refresh. A snapshot is installed only once it covers every event the
/// timeline reflects (its sentinel: the aggregator applies a partition in order, so every event it applied to the user
/// is at or below it), or, with no timeline, every event the aggregator can have applied (<see cref="AggregatorReach"/>,
/// measured after the rebuild took its ticket, which any later batch of the user tears up); both checked in the
/// replace itself. Until then it is read again, and after the last attempt the request comes back later. Timeline and filter are written in
/// one atomic step. A filter that still fits is kept (it holds every like: the aggregator adds each new one); a
/// missing or overfull one is built again, sized for the user's likes now. One rebuild per user at a time across
/// every replica (a Redis lock) saves work; correctness does not rest on it: each rebuild stages its own filter.
/// </summary>
public sealed class TimelineRebuilder(
    TimelineSource source,
    TimelineStore timelines,
    FilterStore filters,
    AggregatorReach reach,
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IOptions<StreamOptions> stream,
    IOptions<ReheaterOptions> options,
    IOptions<BloomOptions> bloom,
    ReheaterMetrics metrics)
{
    public async Task<RebuildOutcome> RebuildAsync(ReheatRequest request, CancellationToken cancellationToken)
    {
        var userId = request.UserId;
        var (state, filter) = await filters.InspectAsync(userId);
        var whole = state == TimelineState.Complete || (state == TimelineState.Truncated && filter == BloomFilterState.Fit);
        if (whole && !request.Refresh)
        {
            return RebuildOutcome.AlreadyWhole;
        }

        var db = redis.GetDatabase();
        var lockKey = keys.RebuildLock(userId);
        var token = Guid.NewGuid().ToString("N");
        try
        {
            for (var attempt = 1; attempt <= options.Value.BehindAttempts; attempt++)
            {
                // The ticket first, then the reach: a batch the aggregator applies after the reach is measured tears the
                // ticket up, so a timeline missing at the replace is installed only if no such batch came.
                if (!await db.StringSetAsync(lockKey, token, options.Value.LockTtl, When.NotExists) && await db.StringGetAsync(lockKey) != token)
                {
                    return RebuildOutcome.Busy;
                }

                var aggregator = await reach.OfAsync(Partitioner.PartitionOf(userId, stream.Value.Partitions), cancellationToken);
                var started = Stopwatch.GetTimestamp();
                var snapshot = await source.ReadAsync(userId, timelines.Size, filter == BloomFilterState.Fit ? null : EmptyFilter, cancellationToken);
                if (await InstallAsync(userId, token, snapshot, aggregator))
                {
                    metrics.Rebuilt(Math.Min(snapshot.Newest.Count, timelines.Size), Stopwatch.GetElapsedTime(started));
                    if (snapshot.Filter is { } swapped)
                    {
                        metrics.FilterBuilt(filter, swapped);
                    }

                    return RebuildOutcome.Rebuilt;
                }

                metrics.Behind();
                await Task.Delay(options.Value.BehindRetry, cancellationToken);
            }

            return RebuildOutcome.StillBehind;
        }
        finally
        {
            await RedisScripts.LockRelease.EvaluateAsync(db, [lockKey], [token]);
        }
    }

    /// <summary>Writes the snapshot as the user's timeline (and filter); false when it does not cover what it must.</summary>
    private async Task<bool> InstallAsync(long userId, string token, TimelineSnapshot snapshot, EventPosition aggregator)
    {
        var complete = snapshot.Newest.Count <= timelines.Size;
        var newest = complete ? snapshot.Newest : snapshot.Newest.Take(timelines.Size).ToList();
        var change = complete ? FilterChange.Drop : snapshot.Filter is null ? FilterChange.Keep : FilterChange.Swap;
        if (snapshot.Filter is { } built)
        {
            await filters.StageAsync(userId, token, built.ToBytes(), options.Value.LockTtl);
        }

        return await timelines.ReplaceAsync(userId, snapshot.Covers, complete ? TimelineState.Complete : TimelineState.Truncated, newest, change, token, aggregator);
    }

    private BloomBitmap EmptyFilter(long likes)
        => new(BloomShape.For((long)Math.Ceiling(likes * bloom.Value.Headroom), bloom.Value.FalsePositiveRate));
}

public enum RebuildOutcome
{
    Rebuilt,
    AlreadyWhole,
    Busy,
    StillBehind,

    /// <summary>Not a request at all: dropped with a log line.</summary>
    Invalid,
}
