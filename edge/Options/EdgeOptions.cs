using System.ComponentModel.DataAnnotations;
using Likes.Edge.Reads;
using Likes.Edge.Writes;
using Likes.Shared.Configuration;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Options;

/// <summary>The edge's own settings (section <c>Edge</c>); the stores' settings live in their own sections.</summary>
public sealed class EdgeOptions : ISectionOptions, IValidatableObject
{
    public static string SectionName => "Edge";

    [Required, ValidateObjectMembers]
    public JwtOptions Jwt { get; set; } = new();

    /// <summary>Likes plus unlikes per user per second (LIKES_WRITE_RATE_PER_USER); burst is 5 × this; 0 turns the limit off.</summary>
    [Range(0, 1_000_000)]
    public int WriteRatePerUser { get; set; } = 20;

    /// <summary>How long a write waits for the stream's ack before it answers 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After a reconnect to the stream server, refuse (503) an ack at a sequence the stream had handed out before: a
    /// server that lost the tail of its stream hands them out again (docs/reliability.md). Off only to show what it keeps.
    /// </summary>
    public bool SequenceGuard { get; set; } = true;

    /// <summary>
    /// How often at most the edge reads the stream's epoch (its creation time) while it publishes: a stream created
    /// anew hands out low sequences legitimately, and the guard starts over once it sees the new epoch.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan StreamEpochCheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The Retry-After of a 503.</summary>
    [Range(1, 3600)]
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Writes carry no body; anything larger than this is refused with 413.</summary>
    [Range(0, 1 << 20)]
    public long MaxRequestBodyBytes { get; set; } = 4096;

    /// <summary>414 past this (method, target and version); Kestrel itself refuses twice this.</summary>
    [Range(1024, 65536)]
    public int MaxRequestLineBytes { get; set; } = 8192;

    /// <summary>431 past this, for all headers together; Kestrel itself refuses twice this.</summary>
    [Range(4096, 262144)]
    public int MaxRequestHeadersBytes { get; set; } = 16384;

    /// <summary>Where reads come from: <c>redis</c> (PostgreSQL only for what Redis cannot answer) or <c>postgres</c> (every read from PostgreSQL alone: the benchmarks' baseline, an operator's escape hatch).</summary>
    [EnumDataType(typeof(ReadSource))]
    public ReadSource ReadSource { get; set; } = ReadSource.Redis;

    /// <summary>What makes a write durable: <c>stream</c> (the design), <c>postgres</c> (synchronous PostgreSQL, the benchmarks' peer baseline; needs ReadSource postgres) or <c>discard</c> (nothing: the benchmarks' HTTP ceiling, Development only).</summary>
    [EnumDataType(typeof(WritePath))]
    public WritePath WritePath { get; set; } = WritePath.Stream;

    /// <summary>How long a counter hash the edge creates for ghosts (<c>"0:0"</c>, contents nobody liked) lives; a real count written in it keeps it for good, and replaces its ghost at once.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan GhostTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>PostgreSQL reads in flight at once per edge (cold facts, Redis outages); past it a fact is answered null and the read is degraded. 0 turns fallbacks off.</summary>
    [Range(0, 1024)]
    public int FallbackConcurrency { get; set; } = 16;

    /// <summary>How long a read waits for a free fallback slot before it gives the fact up.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan FallbackWait { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>A fallback query running longer than this is cancelled and its facts answered null.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan FallbackTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A page's Redis reads taking longer than this count as Redis unavailable: the page is answered from PostgreSQL.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:30")]
    public TimeSpan RedisReadTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Writes that bypass the stream never reach Redis: reading Redis would answer stale facts.
        if (WritePath == WritePath.Postgres && ReadSource != ReadSource.Postgres)
        {
            yield return new ValidationResult("Edge:WritePath postgres needs Edge:ReadSource postgres: its writes never reach Redis", [nameof(WritePath), nameof(ReadSource)]);
        }
    }
}
