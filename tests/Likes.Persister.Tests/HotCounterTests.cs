using System.Collections.Concurrent;
using System.Diagnostics;
using Likes.Fixtures;
using Likes.Shared;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Persister.Tests;

/// <summary>
/// A hot content liked at a steady rate from distinct users: its Redis counter is written at most ten times a
/// second whatever the rate, and still shows the exact count within a second of the last like's commit (how far the
/// commit trails the like is the persister's throughput, not the pacing: on a busy machine the 10k/s case lags). The writes are
/// seen as Redis sees them, by keyspace notifications on the counter's hash (the content is alone in it).
/// </summary>
public class HotCounterTests(StackFixture stack, ITestOutputHelper output) : IClassFixture<StackFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Burst = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);
    private DaemonHost _persister = null!;
    private EventPublisher _events = null!;
    private RedisKeys _keys = null!;
    private string? _notifications;
    private ConnectionMultiplexer _admin = null!;

    public async Task InitializeAsync()
    {
        _admin = await ConnectionMultiplexer.ConnectAsync(stack.AdminRedis + ",allowAdmin=true");
        _notifications = await _admin.ConfigGetAsync("notify-keyspace-events");
        await _admin.ConfigSetAsync("notify-keyspace-events", "Kh");
        _persister = await DaemonHost.StartAsync("persister", b => b.AddPersister(), stack.Configuration());
        _events = new EventPublisher(stack.JetStream, stack.Stream);
        _keys = new RedisKeys(stack.KeyPrefix);
    }

    public async Task DisposeAsync()
    {
        await _persister.DisposeAsync();
        await _admin.ConfigSetAsync("notify-keyspace-events", _notifications ?? string.Empty);
        await _admin.DisposeAsync();
    }

    [Theory]
    [InlineData(1_000, 31_000)]
    [InlineData(5_000, 32_000)]
    [InlineData(10_000, 33_000)]
    public async Task AHotCounter_IsWrittenAtMostTenTimesASecond_AndExactWithinASecondOfTheLastCommit(int likesPerSecond, long content)
    {
        var writes = new ConcurrentQueue<long>();
        var channel = RedisChannel.Literal($"__keyspace@0__:{_keys.CounterBucket(content)}");
        var subscriber = stack.Redis.GetSubscriber();
        await subscriber.SubscribeAsync(channel, (_, _) => writes.Enqueue(Stopwatch.GetTimestamp()));
        try
        {
            var started = Stopwatch.GetTimestamp();
            var likes = await PublishSteadilyAsync(likesPerSecond, content);
            var lastLike = Stopwatch.GetTimestamp();
            var published = likes / Stopwatch.GetElapsedTime(started, lastLike).TotalSeconds;

            // Acked means committed (and the counts not waiting written): from there the pacing alone delays the count.
            await Eventually.UntilAsync(async () => await _events.PendingAsync("persister") == 0, TimeSpan.FromSeconds(120), "persister caught up");
            var committed = Stopwatch.GetTimestamp();
            await Eventually.UntilAsync(
                () => TruthQueries.RedisCounterAsync(stack.Redis, _keys, content),
                v => v?.Count == likes, TimeSpan.FromSeconds(60), $"counter of {content} at {likes}");
            var exactAfter = Stopwatch.GetElapsedTime(committed);
            var busiest = BusiestWindow([.. writes], TimeSpan.FromMilliseconds(900));
            output.WriteLine($"{likes} likes at {published:F0}/s ({likesPerSecond}/s paced): {writes.Count} counter writes, "
                + $"at most {busiest} in any 0.9 s; caught up {Stopwatch.GetElapsedTime(lastLike, committed).TotalMilliseconds:F0} ms after the last like, "
                + $"exact {exactAfter.TotalMilliseconds:F0} ms after that");

            Assert.True(busiest <= 10, $"{busiest} counter writes within 0.9 s");
            Assert.True(exactAfter < TimeSpan.FromSeconds(1), $"counter exact only {exactAfter.TotalMilliseconds:F0} ms after the last like was committed");
            Assert.Equal(likes, await TruthQueries.StoredCountAsync(stack.Postgres, content));
        }
        finally
        {
            await subscriber.UnsubscribeAsync(channel);
        }
    }

    /// <summary>Likes from distinct users on one content, a tick's share every tick for the burst; returns how many.</summary>
    private async Task<int> PublishSteadilyAsync(int likesPerSecond, long content)
    {
        var perTick = (int)(likesPerSecond * Tick.TotalSeconds);
        var ticks = (int)(Burst / Tick);
        var started = Stopwatch.GetTimestamp();
        var sent = new List<Task>();
        for (var t = 0; t < ticks; t++)
        {
            sent.AddRange(Enumerable.Range(t * perTick, perTick).Select(i => _events.PublishAsync(_events.Like(1_000_000 + i, content))));
            var due = Tick * (t + 1) - Stopwatch.GetElapsedTime(started);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }
        }

        await Task.WhenAll(sent);
        return ticks * perTick;
    }

    /// <summary>The most timestamps that fall within one window of the given width.</summary>
    private static int BusiestWindow(IReadOnlyList<long> timestamps, TimeSpan width)
    {
        var most = 0;
        for (int first = 0, last = 0; last < timestamps.Count; last++)
        {
            while (Stopwatch.GetElapsedTime(timestamps[first], timestamps[last]) >= width)
            {
                first++;
            }

            most = Math.Max(most, last - first + 1);
        }

        return most;
    }
}
