using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Likes.Edge.Options;
using Microsoft.Extensions.Options;

namespace Likes.Edge.Reads;

/// <summary>
/// The opaque <c>nextCursor</c> of a keyset list: where a page ended (like time in Unix ms, then the other id of the
/// like) and whose list it was (the caller for my-likes, the content for its likers), as base64url of version ‖
/// likedAtMs ‖ id ‖ owner (big-endian) ‖ HMAC-SHA256 of those. The MAC key is derived from the JWT key (HKDF-SHA256,
/// info naming the list), so only this deployment mints cursors; an altered, forged, another list's or another
/// user's cursor does not decode. Rotating the JWT key invalidates outstanding cursors (clients start over).
/// </summary>
public abstract class PageCursor
{
    public const string Name = "cursor";

    public const string Rule = "must be a nextCursor this API returned for the same list";

    private const byte Version = 1;
    private const int PayloadBytes = 1 + 8 + 8 + 8;
    private const int TagBytes = 32;
    private const int TotalBytes = PayloadBytes + TagBytes;
    private static readonly int EncodedLength = Base64Url.GetEncodedLength(TotalBytes);

    // "From the newest": a page that could read nothing hands this back so the client can retry.
    private const long Start = long.MaxValue;

    private readonly byte[] _key;

    protected PageCursor(IOptions<EdgeOptions> edge, string list)
    {
        var ikm = Encoding.UTF8.GetBytes(edge.Value.Jwt.Key ?? throw new InvalidOperationException("Edge:Jwt:Key is not set"));
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 32, salt: [], info: Encoding.UTF8.GetBytes(list));
    }

    /// <summary>A cursor for the likes strictly older than <paramref name="after"/>; null: from the newest.</summary>
    public string Encode(long owner, (long LikedAtMs, long Id)? after)
    {
        Span<byte> bytes = stackalloc byte[TotalBytes];
        bytes[0] = Version;
        BinaryPrimitives.WriteInt64BigEndian(bytes[1..], after?.LikedAtMs ?? Start);
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], after?.Id ?? Start);
        BinaryPrimitives.WriteInt64BigEndian(bytes[17..], owner);
        HMACSHA256.HashData(_key, bytes[..PayloadBytes], bytes[PayloadBytes..]);
        return Base64Url.EncodeToString(bytes);
    }

    /// <summary>False unless <paramref name="text"/> is a cursor this edge minted for <paramref name="owner"/>.</summary>
    public bool TryDecode(string? text, long owner, out (long LikedAtMs, long Id)? after)
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
            || BinaryPrimitives.ReadInt64BigEndian(bytes[17..]) != owner)
        {
            return false;
        }

        var likedAtMs = BinaryPrimitives.ReadInt64BigEndian(bytes[1..]);
        var id = BinaryPrimitives.ReadInt64BigEndian(bytes[9..]);
        if (likedAtMs != Start)
        {
            after = (likedAtMs, id);
        }

        return true;
    }
}

/// <summary>The caller's likes, newest first: (likedAt, id) keys, owned by the caller.</summary>
public sealed class MyLikesCursor(IOptions<EdgeOptions> edge) : PageCursor(edge, "likes-cursor");

/// <summary>A content's likers, newest first: (likedAt, userId) keys, owned by the content.</summary>
public sealed class LikersCursor(IOptions<EdgeOptions> edge) : PageCursor(edge, "likers-cursor");
