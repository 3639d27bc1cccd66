namespace Likes.Shared.Streams;

/// <summary>
/// How far something reflects the event stream: a stream sequence and the <see cref="StreamEpoch"/> it belongs
/// to. A stream deleted and created again numbers from 1 once more, so a sequence means nothing without its
/// epoch; positions order by epoch first.
/// </summary>
public readonly record struct EventPosition(long Epoch, ulong Sequence) : IComparable<EventPosition>
{
    /// <summary>This position as seen from a stream of <paramref name="epoch"/>: the start of it when this one is of another stream.</summary>
    public ulong In(long epoch) => Epoch == epoch ? Sequence : 0;

    public int CompareTo(EventPosition other) => Epoch != other.Epoch ? Epoch.CompareTo(other.Epoch) : Sequence.CompareTo(other.Sequence);

    public static bool operator <(EventPosition a, EventPosition b) => a.CompareTo(b) < 0;

    public static bool operator >(EventPosition a, EventPosition b) => a.CompareTo(b) > 0;

    public static bool operator <=(EventPosition a, EventPosition b) => a.CompareTo(b) <= 0;

    public static bool operator >=(EventPosition a, EventPosition b) => a.CompareTo(b) >= 0;

    public override string ToString() => $"{Sequence}@{Epoch}";
}
