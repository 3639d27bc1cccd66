using Likes.Edge.Ids;
using Likes.Shared;

namespace Likes.Edge.Reads;

/// <summary>
/// <c>GET /v1/contents/{contentId}/likes/count</c>: the feed-state's counter logic for one content. The Redis
/// counter; when missing, the shared load from PostgreSQL (written back, or cached as a ghost); when Redis is
/// unavailable or reads go to PostgreSQL alone, the count row under the fallback budget. A like asks it too: a like of
/// a deleted content is refused.
/// </summary>
public sealed class CountReader(RedisReads redis, RedisKeys keys, CountLoader counts, FallbackBudget budget, PostgresReads postgres, ReadMetrics metrics)
{
    public async Task<LikeCountBody> ReadAsync(long contentId, CancellationToken cancellationToken)
    {
        var counter = await CounterAsync(contentId, cancellationToken);
        if (!counter.Known)
        {
            metrics.Degraded(counter.Failure!.Value);
            return new LikeCountBody(PositiveId.Format(contentId), null, true);
        }

        return new LikeCountBody(PositiveId.Format(contentId), counter.Value.Shown, null);
    }

    /// <summary>The content's counter (<see cref="CounterStore.Ghost"/> when nobody liked it), or why it cannot be known now.</summary>
    public async Task<Fallback<CounterValue>> CounterAsync(long contentId, CancellationToken cancellationToken)
        => (redis.Usable() ? await FromRedisAsync(contentId, cancellationToken) : null) ?? await FromPostgresAsync(contentId, cancellationToken);

    /// <summary>Null when Redis could not answer.</summary>
    private async Task<Fallback<CounterValue>?> FromRedisAsync(long contentId, CancellationToken cancellationToken)
    {
        var read = CounterStore.Read(redis.Database, keys, contentId);
        if (!await redis.AwaitAsync(read))
        {
            return null;
        }

        if (CounterValue.TryParse(read.Result, out var counter))
        {
            metrics.Facts(fromRedis: 1, fromPostgres: 0);
            metrics.GhostHits(counter == CounterStore.Ghost ? 1 : 0);
            return Fallback.Of(counter);
        }

        var loaded = (await counts.LoadAsync([contentId], cancellationToken))[contentId];
        metrics.Facts(fromRedis: 0, fromPostgres: loaded.Known ? 1 : 0);
        return loaded;
    }

    private async Task<Fallback<CounterValue>> FromPostgresAsync(long contentId, CancellationToken cancellationToken)
    {
        var loaded = await budget.RunAsync(ReadMetrics.Counts, ct => postgres.CountsAsync([contentId], ct), cancellationToken);
        if (!loaded.Known)
        {
            return Fallback.Unknown<CounterValue>(loaded.Failure!.Value);
        }

        metrics.Facts(fromRedis: 0, fromPostgres: 1);
        return Fallback.Of(loaded.Value!.TryGetValue(contentId, out var value) ? value : CounterStore.Ghost);
    }
}
