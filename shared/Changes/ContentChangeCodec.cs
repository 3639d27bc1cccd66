using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Likes.Shared.Changes;

/// <summary>
/// The change stream's wire format, a public contract (docs/api.md): compact JSON, ids as strings so JavaScript
/// consumers never round them.
/// <code>{"v":1,"id":"81","type":"liked","userId":"7","contentId":"42","count":12,"version":31,"at":"2026-11-24T10:00:00.123Z"}</code>
/// The outbox stores the kind as one letter (L, U, E, D).
/// </summary>
public static class ContentChangeCodec
{
    private static readonly (ChangeKind Kind, char Letter, string Name)[] Kinds =
    [
        (ChangeKind.Liked, 'L', "liked"), (ChangeKind.Unliked, 'U', "unliked"),
        (ChangeKind.Erased, 'E', "erased"), (ChangeKind.ContentDeleted, 'D', "content_deleted"),
    ];

    public static ChangeKind FromLetter(char letter) => Kinds.First(k => k.Letter == letter).Kind;

    public static string Name(ChangeKind kind) => Kinds.First(k => k.Kind == kind).Name;

    public static byte[] Encode(ContentChange change)
    {
        var buffer = new ArrayBufferWriter<byte>(192);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            w.WriteString("id", change.ChangeId.ToString(CultureInfo.InvariantCulture));
            w.WriteString("type", Name(change.Kind));
            w.WriteString("userId", change.UserId.ToString(CultureInfo.InvariantCulture));
            w.WriteString("contentId", change.ContentId.ToString(CultureInfo.InvariantCulture));
            w.WriteNumber("count", change.Count);
            w.WriteNumber("version", change.Version);
            w.WriteString("at", change.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static ContentChange Decode(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        var root = document.RootElement;
        var name = root.GetProperty("type").GetString();
        return new ContentChange(
            long.Parse(root.GetProperty("id").GetString()!, CultureInfo.InvariantCulture),
            Kinds.First(k => k.Name == name).Kind,
            long.Parse(root.GetProperty("userId").GetString()!, CultureInfo.InvariantCulture),
            long.Parse(root.GetProperty("contentId").GetString()!, CultureInfo.InvariantCulture),
            root.GetProperty("count").GetInt64(),
            root.GetProperty("version").GetInt64(),
            DateTimeOffset.Parse(root.GetProperty("at").GetString()!, CultureInfo.InvariantCulture));
    }
}
