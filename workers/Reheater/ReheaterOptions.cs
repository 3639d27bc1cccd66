using System.ComponentModel.DataAnnotations;
using Likes.Shared.Configuration;

namespace Likes.Reheater;

public sealed class ReheaterOptions : ISectionOptions
{
    public static string SectionName => "Reheater";

    /// <summary>Rebuilds running at once in this replica.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 4;

    /// <summary>Rebuilds started per second by this replica: the bound on the load a cold Redis puts on PostgreSQL.</summary>
    [Range(1, 100_000)]
    public int RebuildsPerSecond { get; set; } = 200;

    /// <summary>How long one replica holds a user's rebuild lock; longer than any rebuild takes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan LockTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>When PostgreSQL has not yet caught up with what the timeline already holds, wait this long and read again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan BehindRetry { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(1, 100)]
    public int BehindAttempts { get; set; } = 25;

    /// <summary>A request still behind after every attempt comes back after this long (up to the consumer's MaxDeliver).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan StillBehindRedelivery { get; set; } = TimeSpan.FromSeconds(1);

    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan AckWait { get; set; } = TimeSpan.FromSeconds(30);

    [Range(1, 1000)]
    public int FetchBatch { get; set; } = 64;

    /// <summary>How long one fetch waits for requests when the queue is empty.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan IdleFetch { get; set; } = TimeSpan.FromSeconds(2);
}
