using System.Collections.Concurrent;
using System.Diagnostics;
using Likes.Fixtures;
using StackExchange.Redis;

namespace Likes.Bench.Diagnostics;

/// <summary>
/// The writes Redis itself sees to one hash key (keyspace notifications of hash commands): how often a hot content's
/// counter is really written, not what a daemon says it sent. Turns hash notifications on while it watches and puts
/// the server's setting back afterwards. Needs an admin connection (CONFIG).
/// </summary>
public sealed class KeyWrites : IAsyncDisposable
{
    private const string Setting = "notify-keyspace-events";
    private readonly ConcurrentQueue<long> _at = new();
    private readonly IConnectionMultiplexer _admin;
    private readonly ISubscriber _subscriber;
    private readonly RedisChannel _channel;
    private readonly string _previous;

    private KeyWrites(IConnectionMultiplexer admin, ISubscriber subscriber, RedisChannel channel, string previous)
    {
        _admin = admin;
        _subscriber = subscriber;
        _channel = channel;
        _previous = previous;
    }

    public static async Task<KeyWrites> WatchAsync(IConnectionMultiplexer admin, RedisKey key)
    {
        var previous = await admin.ConfigGetAsync(Setting) ?? string.Empty;
        await admin.ConfigSetAsync(Setting, "Kh");
        var watch = new KeyWrites(admin, admin.GetSubscriber(), RedisChannel.Literal($"__keyspace@{admin.GetDatabase().Database}__:{key}"), previous);
        await watch._subscriber.SubscribeAsync(watch._channel, (_, _) => watch._at.Enqueue(Stopwatch.GetTimestamp()));
        return watch;
    }

    public int Count => _at.Count;

    /// <summary>The most writes within any one second.</summary>
    public int MostInASecond()
    {
        var at = _at.ToArray();
        var most = 0;
        for (int first = 0, last = 0; last < at.Length; last++)
        {
            while (Stopwatch.GetElapsedTime(at[first], at[last]) >= TimeSpan.FromSeconds(1))
            {
                first++;
            }

            most = Math.Max(most, last - first + 1);
        }

        return most;
    }

    public async ValueTask DisposeAsync()
    {
        await _subscriber.UnsubscribeAsync(_channel);
        await _admin.ConfigSetAsync(Setting, _previous);
    }
}
