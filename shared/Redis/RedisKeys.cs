using StackExchange.Redis;

namespace Likes.Shared;

/// <summary>
/// Every Redis key Likes uses (documented in docs/redis.md). User keys carry a hash tag <c>{userId}</c>
/// so that a user's keys share one cluster slot; no command spans users or contents.
/// </summary>
public sealed class RedisKeys(string prefix)
{
    public string Prefix => prefix;

    /// <summary>ZSet: the user's newest N liked content ids, score = like time (Unix ms).</summary>
    public string Timeline(long userId) => $"{prefix}t{{{userId}}}";

    /// <summary>String: the Bloom filter of every content id a heavy user likes (<see cref="Bloom.BloomShape"/> says its layout).</summary>
    public string Bloom(long userId) => $"{prefix}b{{{userId}}}";

    /// <summary>
    /// String: a Bloom filter one rebuild is writing, renamed onto <see cref="Bloom"/> with the timeline it belongs to.
    /// Each rebuild stages under its own <paramref name="rebuild"/> token, so two rebuilds of a user never mix their filters.
    /// </summary>
    public string BloomStaging(long userId, string rebuild) => $"{prefix}bn{{{userId}}}:{rebuild}";

    /// <summary>String <c>epoch:sequence</c>: how far a worker applied a partition of the event stream (<see cref="Streams.EventPosition"/>).</summary>
    public string Applied(string worker, int partition) => $"{prefix}applied:{worker}:{partition}";

    /// <summary>
    /// String: the token of the reheater replica rebuilding this user's timeline (expires on its own); also the rebuild's
    /// ticket, which every batch the aggregator applies to the user deletes.
    /// </summary>
    public string RebuildLock(long userId) => $"{prefix}r{{{userId}}}";

    /// <summary>The user's write-rate bucket, shared by every edge replica; in the user's slot, beside their timeline.</summary>
    public string WriteRate(long userId) => $"{prefix}w{{{userId}}}";

    /// <summary>
    /// How many contents share one counter hash: contents 7100–7199 are fields 0–99 of <c>counts:71</c>. A key costs
    /// some 50 bytes before its value, more than a counter itself, so a hundred counters share one; a hundred
    /// stays under Redis's default <c>hash-max-listpack-entries</c> (128), so a bucket is a compact listpack on
    /// any server, and the split is readable in decimal. Part of the key layout: every daemon must agree on it.
    /// </summary>
    public const int CountersPerBucket = 100;

    /// <summary>Hash of up to <see cref="CountersPerBucket"/> counters, field <see cref="CounterField"/> = <c>count:version</c>.</summary>
    public string CounterBucket(long contentId) => $"{prefix}counts:{CounterBucketNumber(contentId)}";

    /// <summary>Which <see cref="CounterBucket"/> holds the content's counter: contents with the same number share one.</summary>
    public static long CounterBucketNumber(long contentId) => contentId / CountersPerBucket;

    /// <summary>The content's field in its <see cref="CounterBucket"/>.</summary>
    public static RedisValue CounterField(long contentId) => contentId % CountersPerBucket;
}
