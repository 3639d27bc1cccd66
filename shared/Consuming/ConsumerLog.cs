using Microsoft.Extensions.Logging;

namespace Likes.Shared.Consuming;

internal static partial class ConsumerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Consuming partition {Partition} as {Consumer} from position {Sequence}")]
    public static partial void Consuming(ILogger logger, int partition, string consumer, ulong sequence);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Applied {BatchSize} events of partition {Partition} through sequence {Sequence} in {ElapsedMs:F1} ms")]
    public static partial void Applied(ILogger logger, int batchSize, int partition, ulong sequence, double elapsedMs);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Store {Kind} applying partition {Partition} (attempt {Attempt}); retrying in {DelayMs:F0} ms without acking")]
    public static partial void StoreFailing(ILogger logger, Exception exception, int partition, string kind, int attempt, double delayMs);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Batch of partition {Partition} failed on its events; applying them one by one")]
    public static partial void Isolating(ILogger logger, int partition);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Dead-lettered sequence {Sequence} of partition {Partition} ({Kind}): {Reason}")]
    public static partial void DeadLettered(ILogger logger, ulong sequence, int partition, string kind, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Could not open or fetch from the consumer of {Partition}; retrying in {DelayMs:F0} ms")]
    public static partial void StreamUnavailable(ILogger logger, Exception exception, int partition, double delayMs);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "Skipped {Count} redelivered events of partition {Partition} already applied through {Sequence}")]
    public static partial void SkippedRedelivered(ILogger logger, int count, int partition, ulong sequence);

    [LoggerMessage(EventId = 108, Message = "Applied {Count} events of partition {Partition} through sequence {Sequence} from the stream ({Path}): the server did not deliver them to {Consumer} in stream order (runbook: events passed over)")]
    public static partial void AppliedFromStream(ILogger logger, LogLevel level, int count, int partition, ulong sequence, string path, string consumer);

    [LoggerMessage(EventId = 109, Level = LogLevel.Error, Message = "Partition {Partition} was applied through sequence {Sequence} but the stream ends at {LastSequence}: it lost its tail; events stored under the sequences it hands out again are not applied")]
    public static partial void StreamRewound(ILogger logger, int partition, ulong sequence, ulong lastSequence);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Stopped applying partition {Partition}: {Reason}")]
    public static partial void LeaseLost(ILogger logger, int partition, string reason);
}
