using System.Globalization;

namespace Likes.Shared.Reheating;

/// <summary>
/// A request to the reheater for one user. Plain: make the user's Redis state whole (a missing or partial
/// timeline, a truncated one without a filter that fits). <see cref="Refresh"/>: rebuild the timeline even if
/// it looks whole, because a like of an old relation may have put it there with the wrong time (the
/// persister's cold duplicates). Payload: the user id in decimal, then <c>" refresh"</c> for a refresh.
/// </summary>
public readonly record struct ReheatRequest(long UserId, bool Refresh = false)
{
    private const string RefreshSuffix = " refresh";

    public string Payload => UserId.ToString(CultureInfo.InvariantCulture) + (Refresh ? RefreshSuffix : string.Empty);

    /// <summary>The stream's duplicate window folds requests with the same id: one load per user and kind.</summary>
    public string MessageId => (Refresh ? "r:" : "t:") + UserId.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(ReadOnlySpan<byte> payload, out ReheatRequest request)
    {
        var text = System.Text.Encoding.ASCII.GetString(payload);
        var refresh = text.EndsWith(RefreshSuffix, StringComparison.Ordinal);
        var user = refresh ? text[..^RefreshSuffix.Length] : text;
        var parsed = long.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var userId) && userId > 0;
        request = parsed ? new ReheatRequest(userId, refresh) : default;
        return parsed;
    }
}
