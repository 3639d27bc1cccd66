using Likes.Edge.Ids;

namespace Likes.Edge.Writes;

/// <summary>
/// The optional <c>Idempotency-Key</c> header: 1–64 visible ASCII characters. It becomes the JetStream
/// message id, so a retried request inside the stream's duplicate window is stored once.
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    public const int MaxLength = 64;

    public const string Rule = "must be 1 to 64 visible ASCII characters";

    /// <summary>False, with an error naming the header, when it is present but not one valid key; <paramref name="key"/> is null when absent.</summary>
    public static bool TryRead(IHeaderDictionary headers, out string? key, IDictionary<string, string[]> errors)
    {
        key = null;
        if (!headers.TryGetValue(Header, out var values))
        {
            return true;
        }

        if (values.Count == 1 && IsValid(values[0]))
        {
            key = values[0];
            return true;
        }

        errors[Header] = [Rule];
        return false;
    }

    public static bool IsValid(string? key)
    {
        if (key is not { Length: >= 1 and <= MaxLength })
        {
            return false;
        }

        foreach (var c in key)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Scoped by user, so two users' keys never collide. The key names the (user, request), not the action:
    /// the same key sent again within the window for another content or action is deduplicated too, and
    /// answered 202 without a new event. Clients use a fresh key per intended write.
    /// </summary>
    public static string MessageId(long userId, string key) => PositiveId.Format(userId) + ":" + key;
}
