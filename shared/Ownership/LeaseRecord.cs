using System.Globalization;
using System.Text;

namespace Likes.Shared.Ownership;

/// <summary>
/// The value of a lease key (<c>{worker}.p{partition}</c>): who holds it and until when, by the holder's clock, as
/// <c>"{expiresAtUnixMs} {holder}"</c>, readable with <c>nats kv get</c>. A membership line has the same form.
/// </summary>
public readonly record struct LeaseRecord(string Holder, long ExpiresAtMs)
{
    public bool ExpiredAt(long nowMs) => nowMs >= ExpiresAtMs;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ExpiresAtMs} {Holder}");

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(ToString());

    public static bool TryParse(ReadOnlySpan<byte> bytes, out LeaseRecord record) => TryParse(Encoding.UTF8.GetString(bytes), out record);

    public static bool TryParse(string text, out LeaseRecord record)
    {
        record = default;
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == text.Length - 1 || !long.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return false;
        }

        record = new LeaseRecord(text[(space + 1)..], expires);
        return true;
    }
}
