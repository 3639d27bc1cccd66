using Likes.Shared;
using Likes.Shared.Consuming;
using Likes.Shared.Streams;
using StackExchange.Redis;

namespace Likes.Aggregator;

/// <summary>
/// How far the aggregator applied each partition, kept in Redis beside the timelines (<see cref="RedisKeys.Applied"/>).
/// Written after a batch's timeline scripts succeeded, so it never says more than what was applied; when it says less
/// (a crash in between, a key evicted, Redis emptied), the loop applies that stretch again, and each timeline's
/// sentinel skips what it already reflects.
/// </summary>
public sealed class TimelinePositions(IConnectionMultiplexer redis, RedisKeys keys) : IAppliedPositions
{
    public const string Worker = "aggregator";

    public async Task<EventPosition> ReadAsync(int partition, CancellationToken cancellationToken)
    {
        var value = (string?)await redis.GetDatabase().StringGetAsync(keys.Applied(Worker, partition));
        var colon = value?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 && long.TryParse(value.AsSpan(0, colon), out var epoch) && ulong.TryParse(value.AsSpan(colon + 1), out var sequence)
            ? new EventPosition(epoch, sequence)
            : default;
    }

    public Task WriteAsync(int partition, EventPosition position)
        => RedisScripts.PositionSetIfNewer.EvaluateAsync(redis.GetDatabase(), [keys.Applied(Worker, partition)], [position.Epoch, position.Sequence]);
}
