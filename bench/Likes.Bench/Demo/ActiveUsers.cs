using Likes.Bench.Fleet;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Reheating;
using NATS.Client.Core;
using NATS.Client.JetStream;
using StackExchange.Redis;

namespace Likes.Bench.Demo;

/// <summary>
/// The demo's scrollers are active users, as in production: their timelines are built from PostgreSQL before they
/// scroll, by the fleet's own reheater (one request each on its queue), so a feed read of them is answered from Redis
/// (absence from a complete timeline is a definite "no"). New users met mid-scroll would be cold: every read of a
/// partial timeline asks PostgreSQL until a rebuild lands.
/// </summary>
public static class ActiveUsers
{
    private static readonly TimeSpan WarmWithin = TimeSpan.FromMinutes(2);

    /// <summary>Asks the reheater for every user's timeline and waits until they are all there; returns how long it took.</summary>
    public static async Task<TimeSpan> WarmAsync(BenchEnvironment env, IConnectionMultiplexer redis, RedisKeys keys, long firstUser, int users, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var stream = FleetStream.Options();
        await using (var nats = new NatsConnection(new NatsOpts { Url = env.Nats, Name = "likes-demo-warm" }))
        {
            var js = new NatsJSContext(nats);
            await Task.WhenAll(Enumerable.Range(0, users).Select(async i =>
            {
                var request = new ReheatRequest(firstUser + i);
                var ack = await js.PublishAsync(stream.ReheatSubject, request.Payload, opts: new NatsJSPubOpts { MsgId = request.MessageId }, cancellationToken: ct);
                ack.EnsureSuccess();
            }));
        }

        await Eventually.UntilAsync(() => MissingAsync(redis, keys, firstUser, users), missing => missing == 0, WarmWithin, "the scrollers' timelines built");
        return System.Diagnostics.Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Users whose timeline is not there yet (no sentinel), all read in one batch.</summary>
    private static async Task<int> MissingAsync(IConnectionMultiplexer redis, RedisKeys keys, long firstUser, int users)
    {
        var batch = redis.GetDatabase().CreateBatch();
        var sentinels = Enumerable.Range(0, users).Select(i => batch.SortedSetRangeByRankWithScoresAsync(keys.Timeline(firstUser + i), 0, 0)).ToList();
        batch.Execute();
        return (await Task.WhenAll(sentinels)).Count(s => TimelineSentinel.StateOf(s) == TimelineState.Missing);
    }
}
