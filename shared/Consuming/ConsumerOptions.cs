using System.ComponentModel.DataAnnotations;
using Likes.Shared.Configuration;

namespace Likes.Shared.Consuming;

/// <summary>How a worker drains its partitions. Every worker binds its own copy from <c>Consumer</c>.</summary>
public sealed class ConsumerOptions : ISectionOptions, IValidatableObject
{
    public static string SectionName => "Consumer";

    /// <summary>The most events applied in one batch; the consumer's MaxAckPending is two of them (LikesTopology.EventConsumer), which keeps order after a crash.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// After the first event of an idle period, how long to gather more before applying: under a steady trickle each
    /// batch is a fetch, a window and the acks whatever its size, so the window sets what the trickle costs the
    /// worker and NATS. Well inside the second a like may take to show (docs/benchmarks.md).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long one idle fetch waits for the first event. After each that finds nothing, the loop checks the stream
    /// for events of its partition the server passed over, so this also bounds how long those wait.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan IdleFetch { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long JetStream waits for an ack before it redelivers.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan AckWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts at one event that fails on its own (not a store outage) before it is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxDeliver { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan BackoffInitial { get; set; } = TimeSpan.FromMilliseconds(100);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan BackoffMax { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Readiness fails when a fetch or apply has not succeeded for this long.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (BackoffInitial > BackoffMax)
        {
            yield return new ValidationResult(
                "Consumer:BackoffInitial must not exceed Consumer:BackoffMax.", [nameof(BackoffInitial)]);
        }
    }
}
