using System.Globalization;
using Likes.Shared.Streams;
using StackExchange.Redis;

namespace Likes.Shared;

/// <summary>
/// The member of a user's timeline that says what the timeline knows: its <see cref="TimelineState"/> and the
/// stream position it reflects (the batches applied, or the snapshot it was rebuilt from). It is the member at rank 0:
/// named <c>0:{epoch}</c> (<c>0</c> alone is epoch 0; no content id starts with 0), scored
/// <c>-(applied × 4 + state)</c>, below every like time. The Lua scripts share this definition
/// (Scripts/encoding.lua, pinned to it by a test).
/// </summary>
public readonly record struct TimelineSentinel(long Epoch, ulong Applied, TimelineState State)
{
    public const string Prefix = "0";

    /// <summary>How many <see cref="TimelineState"/> values the score packs.</summary>
    public const int States = 4;

    public string Member => Prefix + ":" + Epoch.ToString(CultureInfo.InvariantCulture);

    public double Score => -((double)Applied * States + (int)State);

    public EventPosition Position => new(Epoch, Applied);

    /// <summary>The sentinel, when <paramref name="entry"/> (the timeline's rank 0) is one.</summary>
    public static bool TryRead(SortedSetEntry entry, out TimelineSentinel sentinel)
    {
        sentinel = default;
        var member = (string?)entry.Element;
        if (member is null || !member.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var epoch = 0L;
        if (member.Length > Prefix.Length && !long.TryParse(member.AsSpan(Prefix.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out epoch))
        {
            return false;
        }

        var packed = (ulong)-entry.Score;
        sentinel = new TimelineSentinel(epoch, packed / States, (TimelineState)(int)(packed % States));
        return true;
    }

    /// <summary>The state of a timeline from its rank 0 entry as read (none: <see cref="TimelineState.Missing"/>).</summary>
    public static TimelineState StateOf(IReadOnlyList<SortedSetEntry> rankZero)
        => rankZero.Count > 0 && TryRead(rankZero[0], out var s) ? s.State : TimelineState.Missing;

    /// <summary>Whether a timeline member is a liked content id, not the sentinel.</summary>
    public static bool IsContent(RedisValue member) => !((string?)member ?? Prefix).StartsWith(Prefix, StringComparison.Ordinal);
}
