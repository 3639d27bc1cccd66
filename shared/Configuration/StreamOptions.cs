using System.ComponentModel.DataAnnotations;

namespace Likes.Shared.Configuration;

/// <summary>The JetStream streams Likes uses: events by partition, and dead letters.</summary>
public sealed class StreamOptions : ISectionOptions
{
    public static string SectionName => "Stream";

    [Required, RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string Name { get; set; } = "LIKES";

    /// <summary>Events go to <c>{SubjectPrefix}.events.{partition}</c>, dead letters to <c>{SubjectPrefix}.dlq.{daemon}</c>.</summary>
    [Required, RegularExpression("^[a-z0-9_-]+(\\.[a-z0-9_-]+)*$")]
    public string SubjectPrefix { get; set; } = "likes";

    /// <summary>P: the number of partitions. Changing it moves users between partitions: drain first.</summary>
    [Range(1, 1024)]
    public int Partitions { get; set; } = 8;

    /// <summary>R: 1 locally, 3 in production.</summary>
    [Range(1, 5)]
    public int Replicas { get; set; } = 1;

    /// <summary>How long JetStream remembers a message id: the window in which an Idempotency-Key dedupes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan DuplicateWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Events older than this are dropped even if unconsumed: far longer than any outage to ride out.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    [Range(1L << 20, long.MaxValue)]
    public long MaxBytes { get; set; } = 4L << 30;

    [Range(1, int.MaxValue)]
    public int MaxMessageBytes { get; set; } = 4096;

    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan DeadLetterMaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long the reheat stream folds repeated requests for the same user into one. A rebuild takes
    /// milliseconds, after which reads stop asking; a long window would only keep a user who lost their
    /// keys again soon after a rebuild (eviction, a flush) cold for that long.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ReheatDuplicateWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the change stream keeps a change: downstream consumers must read within it.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan ChangesMaxAge { get; set; } = TimeSpan.FromDays(7);

    public string DeadLetterStreamName => $"{Name}_DLQ";

    /// <summary>The change stream: net changes the persister committed, for other services (docs/api.md).</summary>
    public string ChangesStreamName => $"{Name}_CHANGES";

    public string ChangeSubject => $"{SubjectPrefix}.changes";

    public string ReheatStreamName => $"{Name}_REHEAT";

    public string ReheatSubject => $"{SubjectPrefix}.reheat.timeline";

    /// <summary>The key-value bucket of Idempotency-Keys in use: which write each one was sent with.</summary>
    public string IdempotencyBucket => $"{Name}_IDEMPOTENCY";

    /// <summary>The stream behind <see cref="IdempotencyBucket"/>, as JetStream names a bucket's stream.</summary>
    public string IdempotencyStreamName => $"KV_{IdempotencyBucket}";

    /// <summary>The key-value bucket of partition leases: which worker replica applies each partition (Ownership/).</summary>
    public string LeaseBucket => $"{Name}_LEASES";

    /// <summary>The stream behind <see cref="LeaseBucket"/>.</summary>
    public string LeaseStreamName => $"KV_{LeaseBucket}";

    /// <summary>Every stream of the topology, the buckets' streams included, as JetStream names them: what a removal removes.</summary>
    public IReadOnlyList<string> StreamNames => [Name, ChangesStreamName, DeadLetterStreamName, ReheatStreamName, IdempotencyStreamName, LeaseStreamName];

    public string EventSubject(int partition) => $"{SubjectPrefix}.events.{partition}";

    public string EventSubjectWildcard => $"{SubjectPrefix}.events.*";

    public string DeadLetterSubject(string daemon) => $"{SubjectPrefix}.dlq.{daemon}";

    public string DeadLetterSubjectWildcard => $"{SubjectPrefix}.dlq.>";
}
