using Microsoft.Extensions.Logging;

namespace Likes.Shared.Consuming;

internal static partial class ConsumerLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Consuming partition {Partition} as {Consumer}")]
    public static partial void Consuming(ILogger logger, int partition, string consumer);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Applied {BatchSize} events of partition {Partition} through sequence {Sequence} in {ElapsedMs:F1} ms")]
    public static partial void Applied(ILogger logger, int batchSize, int partition, ulong sequence, double elapsedMs);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Store unavailable applying partition {Partition} (attempt {Attempt}); retrying in {DelayMs:F0} ms without acking")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception, int partition, int attempt, double delayMs);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Batch of partition {Partition} failed on its events; applying them one by one")]
    public static partial void Isolating(ILogger logger, Exception exception, int partition);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "Dead-lettered sequence {Sequence} of partition {Partition} ({Kind}): {Reason}")]
    public static partial void DeadLettered(ILogger logger, ulong sequence, int partition, string kind, string reason);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Stream unavailable for partition {Partition}; retrying in {DelayMs:F0} ms")]
    public static partial void StreamUnavailable(ILogger logger, Exception exception, int partition, double delayMs);

    [LoggerMessage(EventId = 106, Level = LogLevel.Debug, Message = "Skipped {Count} redelivered events of partition {Partition} already applied through {Sequence}")]
    public static partial void SkippedRedelivered(ILogger logger, int count, int partition, ulong sequence);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Applied {Count} events of partition {Partition} through sequence {Sequence} that a previous owner held unacked")]
    public static partial void AppliedHeld(ILogger logger, int count, int partition, ulong sequence);

    [LoggerMessage(EventId = 108, Level = LogLevel.Error, Message = "The stream server passed over {Count} events of partition {Partition} through sequence {Sequence} without delivering them to {Consumer}; applied them from the stream (runbook: events passed over)")]
    public static partial void AppliedPassedOver(ILogger logger, int count, int partition, ulong sequence, string consumer);
}
