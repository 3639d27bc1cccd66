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

    /// <summary>String: a Bloom filter the reheater is writing, renamed onto <see cref="Bloom"/> with the timeline it belongs to.</summary>
    public string BloomStaging(long userId) => $"{prefix}bn{{{userId}}}";

    /// <summary>String: the token of the reheater replica rebuilding this user's timeline (expires on its own).</summary>
    public string RebuildLock(long userId) => $"{prefix}r{{{userId}}}";

    /// <summary>String <c>count:version</c>: the content's like count as of count-row version.</summary>
    public string Counter(long contentId) => $"{prefix}c:{contentId}";
}
