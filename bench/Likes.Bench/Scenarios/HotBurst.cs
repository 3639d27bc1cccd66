using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Likes.Bench.Diagnostics;
using Likes.Bench.Load;
using Likes.Bench.Workload;
using Likes.Shared;
using StackExchange.Redis;

namespace Likes.Bench.Scenarios;

/// <summary>
/// A celebrity moment: distinct users like one content through the edge as fast as the clients go. Then
/// the time from the last accepted like until the count is exact in Redis and in feed-state, and what it
/// cost: the content is new, so its count row's version says how many transactions moved the count, and Redis's
/// own keyspace notifications say how often its counter was written (the content is alone in its hash).
/// <paramref name="redis"/> must be an admin connection.
/// </summary>
public sealed class HotBurst(LikeTraffic traffic, IConnectionMultiplexer redis, RedisKeys keys)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan ExactWithin = TimeSpan.FromSeconds(60);

    public async Task<BurstFigures> RunAsync(long content, long firstUser, int likes, int clients, CancellationToken ct, bool quiet = false)
    {
        var next = -1L;
        var counted = new List<SeriesPoint>();
        await using var writes = await KeyWrites.WatchAsync(redis, keys.CounterBucket(content));
        var started = Stopwatch.GetTimestamp();
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sampler = SampleCounterAsync(content, started, counted, sampling.Token);
        var load = await MeasuredLoop.RunAsync($"burst: {likes:N0} users like one content", clients, ExactWithin * 10,
            (_, _, token) => traffic.WriteAsync(firstUser + Interlocked.Increment(ref next), content, like: true, token),
            ct, maxRequests: likes, quiet: quiet);
        var lastAccepted = Stopwatch.GetTimestamp();
        var accepted = (int)load.Ok;

        var inRedis = WhenExactAsync(async () => (await CounterAsync(content)).Count, accepted, lastAccepted, ct);
        var inFeed = WhenExactAsync(() => FeedStateCountAsync(firstUser, content, ct), accepted, lastAccepted, ct);
        await Task.WhenAll(inRedis, inFeed);
        await sampling.CancelAsync();
        await sampler;

        var version = (await CounterAsync(content)).Version;
        return new BurstFigures(accepted, load, inRedis.Result, inFeed.Result, Math.Max(0, version - 1), writes.Count, writes.MostInASecond(), counted);
    }

    /// <summary>The counter as Redis holds it, every few milliseconds from the start: the plot's "counted" line.</summary>
    private async Task SampleCounterAsync(long content, long started, List<SeriesPoint> points, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            points.Add(new SeriesPoint(Stopwatch.GetElapsedTime(started).TotalSeconds, (await CounterAsync(content)).Count));
            try
            {
                await Task.Delay(Poll * 4, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<CounterValue> CounterAsync(long content)
        => CounterValue.TryParse(await CounterStore.Read(redis.GetDatabase(), keys, content), out var value) ? value : default;

    private async Task<long> FeedStateCountAsync(long reader, long content, CancellationToken ct)
    {
        var (status, body) = await traffic.Edge.GetAsync(reader, "/v1/feed-state?ids=" + content.ToString(CultureInfo.InvariantCulture), ct);
        if (status != 200)
        {
            return -1;
        }

        using var json = JsonDocument.Parse(body);
        var count = json.RootElement.GetProperty("items")[0].GetProperty("count");
        return count.ValueKind == JsonValueKind.Number ? count.GetInt64() : -1;
    }

    /// <summary>Seconds from <paramref name="from"/> until the probe shows exactly <paramref name="expected"/>; NaN if it never did in time.</summary>
    private static async Task<double> WhenExactAsync(Func<Task<long>> probe, long expected, long from, CancellationToken ct)
    {
        while (Stopwatch.GetElapsedTime(from) < ExactWithin)
        {
            if (await probe() == expected)
            {
                return Stopwatch.GetElapsedTime(from).TotalSeconds;
            }

            await Task.Delay(Poll, ct);
        }

        return double.NaN;
    }
}

/// <param name="Likes">Likes the edge accepted (202).</param>
/// <param name="SecondsToExactInRedis">From the last accepted like until the Redis counter equals <paramref name="Likes"/>.</param>
/// <param name="SecondsToExactInFeedState">Likewise, as a feed-state read through the edge answers it.</param>
/// <param name="CountChanges">Transactions that moved the content's count (its count row's version - 1).</param>
/// <param name="CounterWrites">Writes of the content's Redis counter, as Redis saw them.</param>
/// <param name="MostCounterWritesInASecond">The most of those within any one second.</param>
/// <param name="Counted">The Redis counter over time (seconds since the burst started, count).</param>
public sealed record BurstFigures(
    int Likes,
    RunFigures Load,
    double SecondsToExactInRedis,
    double SecondsToExactInFeedState,
    long CountChanges,
    int CounterWrites,
    int MostCounterWritesInASecond,
    IReadOnlyList<SeriesPoint> Counted)
{
    public double SecondsToExact => Math.Max(SecondsToExactInRedis, SecondsToExactInFeedState);
}
