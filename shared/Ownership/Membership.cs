using System.Text;

namespace Likes.Shared.Ownership;

/// <summary>
/// The value of a worker's membership key (<c>{worker}.members</c>): its live replicas, one line
/// <c>"{expiresAtUnixMs} {holder}"</c> each. Every replica renews its own line and drops expired ones, by
/// compare-and-set on the key's revision, so the set is one consistent value every replica reads alike.
/// </summary>
public sealed class Membership
{
    private readonly SortedDictionary<string, long> _expiries = new(StringComparer.Ordinal);

    /// <summary>The live replicas, in one order every replica agrees on.</summary>
    public IReadOnlyList<string> Members => [.. _expiries.Keys];

    public static Membership Parse(ReadOnlySpan<byte> bytes)
    {
        var membership = new Membership();
        foreach (var line in Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (LeaseRecord.TryParse(line, out var member))
            {
                membership._expiries[member.Holder] = member.ExpiresAtMs;
            }
        }

        return membership;
    }

    /// <summary>Renews <paramref name="holder"/> until <paramref name="expiresAtMs"/> and drops every member expired at <paramref name="nowMs"/>.</summary>
    public Membership Renew(string holder, long expiresAtMs, long nowMs)
    {
        foreach (var expired in _expiries.Where(m => m.Value <= nowMs).Select(m => m.Key).ToList())
        {
            _expiries.Remove(expired);
        }

        _expiries[holder] = expiresAtMs;
        return this;
    }

    public Membership Leave(string holder)
    {
        _expiries.Remove(holder);
        return this;
    }

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(string.Join('\n', _expiries.Select(m => new LeaseRecord(m.Key, m.Value))));
}
