using System.Globalization;
using System.Reflection;
using Likes.Shared.Bloom;

namespace Likes.Shared;

/// <summary>
/// The Lua scripts Likes runs in Redis: embedded resources (<c>Redis/Scripts/*.lua</c>). Those that read or write a
/// timeline's sentinel or a Bloom filter's header start with <see cref="Encodings"/>: constants generated from the C#
/// definitions (<see cref="TimelineSentinel"/>, <see cref="TimelineState"/>, <see cref="BloomShape"/>) and the
/// functions of <c>encoding.lua</c> built on them, so the two languages cannot drift apart unseen.
/// </summary>
public static class RedisScripts
{
    /// <summary>The constants and shared functions every timeline or filter script starts with.</summary>
    public static string Encodings { get; } = string.Create(CultureInfo.InvariantCulture, $"""
        local SENTINEL, SENTINEL_STATES = '{TimelineSentinel.Prefix}', {TimelineSentinel.States}
        local TIMELINE_COMPLETE, TIMELINE_TRUNCATED, TIMELINE_PARTIAL = {(int)TimelineState.Complete}, {(int)TimelineState.Truncated}, {(int)TimelineState.Partial}
        local BLOOM_BITS, BLOOM_HASHES, BLOOM_CAPACITY, BLOOM_INSERTED = {BloomShape.BitsField}, {BloomShape.HashesField}, {BloomShape.CapacityField}, {BloomShape.InsertedField}
        local BLOOM_FIRST_BIT = {BloomShape.FirstBit}

        """) + Read("encoding");

    public static RedisScript TimelineApply { get; } = new(Encodings + Read("timeline-apply"));

    public static RedisScript TimelineReplace { get; } = new(Encodings + Read("timeline-replace"));

    public static RedisScript LikedState { get; } = new(Encodings + Read("liked-state"));

    public static RedisScript PositionSetIfNewer { get; } = new(Encodings + Read("position-set-if-newer"));

    public static RedisScript CountersSetIfNewer { get; } = new(Read("counters-set-if-newer"));

    public static RedisScript CounterReplaceIfUnchanged { get; } = new(Read("counter-replace-if-unchanged"));

    public static RedisScript CountersGhost { get; } = new(Read("counters-ghost"));

    public static RedisScript LockRelease { get; } = new(Read("lock-release"));

    public static RedisScript UserWriteRate { get; } = new(Read("user-write-rate"));

    private static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Likes.Shared.Redis.Scripts.{name}.lua")
            ?? throw new InvalidOperationException($"the script {name}.lua is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
