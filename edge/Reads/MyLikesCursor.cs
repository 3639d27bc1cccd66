using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Likes.Edge.Options;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Reads;

/// <summary>
/// The opaque <c>nextCursor</c> of my-likes: where a page ended (like time in Unix ms, content id) and whose
/// page it was, as base64url of version ‖ likedAtMs ‖ contentId ‖ userId (big-endian) ‖ HMAC-SHA256 of those.
/// The MAC key is derived from the JWT key (HKDF-SHA256, info <c>likes-cursor</c>), so only this deployment
/// mints cursors; an altered, forged or another user's cursor does not decode. Rotating the JWT key
/// invalidates outstanding cursors (clients start over from the first page).
/// </summary>
public sealed class MyLikesCursor
{
    public const string Name = "cursor";

    public const string Rule = "must be a nextCursor this API returned to the same user";

    private const byte Version = 1;
    private const int PayloadBytes = 1 + 8 + 8 + 8;
    private const int TagBytes = 32;
    private const int TotalBytes = PayloadBytes + TagBytes;
    private static readonly int EncodedLength = Base64Url.GetEncodedLength(TotalBytes);

    // "From the newest": a page that could read nothing hands this back so the client can retry.
    private const long Start = long.MaxValue;

    private readonly byte[] _key;

    public MyLikesCursor(IOptions<EdgeOptions> edge)
    {
        var ikm = Encoding.UTF8.GetBytes(edge.Value.Jwt.Key ?? throw new InvalidOperationException("Edge:Jwt:Key is not set"));
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, salt: [], info: "likes-cursor"u8.ToArray());
    }

    /// <summary>A cursor for the likes strictly older than <paramref name="after"/>; null: from the newest.</summary>
    public string Encode(long userId, (long LikedAtMs, long ContentId)? after)
    {
        Span<byte> bytes = stackalloc byte[TotalBytes];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], after?.LikedAtMs ?? Start);
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], after?.ContentId ?? Start);
        BinaryPrimitives.WriteInt64BigEndian(bytes[17..], userId);
        HMACSHA256.HashData(_key, bytes[..PayloadBytes], bytes[PayloadBytes..]);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>False unless <paramref name="text"/> is a cursor this edge minted for <paramref name="userId"/>.</summary>
    public bool TryDecode(string? text, long userId, out (long LikedAtMs, long ContentId)? after)
    {
        after = null;
        Span<byte> bytes = stackalloc byte[TotalBytes];
        if (text is null || text.Length != EncodedLength
            || !Base64Url.TryDecodeFromChars(text, bytes, out var written) || written != TotalBytes
            || bytes[0] != Version)
        {
            return false;
        }

        Span<byte> tag = stackalloc byte[TagBytes];
        HMACSHA256.HashData(_key, bytes[..PayloadBytes], tag);
        if (!CryptographicOperations.FixedTimeEquals(tag, bytes[PayloadBytes..])
            || BinaryPrimitives.ReadInt64BigEndian(bytes[17..]) != userId)
        {
            return false;
        }

        var likedAtMs = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        var contentId = BinaryPrimitives.ReadInt64BigEndian(bytes[9..]);
        if (likedAtMs != Start)
        {
            after = (likedAtMs, contentId);
        }

        return true;
    }
}
