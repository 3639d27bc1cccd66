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
    /// Scoped by user, so two users' keys never collide. The key names one intended write: sent again with another
    /// content or action it is refused (422, <see cref="IdempotencyKeys"/>), so the message id only ever dedupes retries.
    /// </summary>
    public static string MessageId(long userId, string key) => PositiveId.Format(userId) + ":" + key;
}
