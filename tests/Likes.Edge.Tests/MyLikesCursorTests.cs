using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Likes.Edge.Options;
using Likes.Edge.Reads;

namespace Likes.Edge.Tests;

/// <summary>The cursor's encoding as properties: what is minted decodes for its user only, and any change to it is refused.</summary>
public sealed class MyLikesCursorTests
{
    private static readonly MyLikesCursor Cursors = new(Microsoft.Extensions.Options.Options.Create(new EdgeOptions { Jwt = { Key = JwtOptions.DevelopmentKey } }));

    [Property]
    public bool AMintedCursor_DecodesToItsPosition_ForItsUser(PositiveInt user, NonNegativeInt ms, PositiveInt content)
    {
        var at = (LikedAtMs: 1_700_000_000_000L + ms.Get, ContentId: (long)content.Get * 7919);
        var cursor = Cursors.Encode(user.Get, at);

        return Cursors.TryDecode(cursor, user.Get, out var decoded) && decoded == at;
    }

    [Property]
    public bool AMintedCursor_IsRefusedForAnyOtherUser(PositiveInt user, PositiveInt other, PositiveInt content)
    {
        var cursor = Cursors.Encode(user.Get, (1_700_000_000_000L, content.Get));

        return user.Get == other.Get || !Cursors.TryDecode(cursor, other.Get, out _);
    }

    [Property]
    public Property AnyChangedCharacter_IsRefused(PositiveInt content)
    {
        var cursor = Cursors.Encode(42, (1_700_000_000_000L, content.Get));
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var changes = from position in Gen.Choose(0, cursor.Length - 1)
                      from replacement in Gen.Elements(alphabet.ToCharArray())
                      where cursor[position] != replacement
                      select cursor[..position] + replacement + cursor[(position + 1)..];
        return Prop.ForAll(changes.ToArbitrary(), changed => !Cursors.TryDecode(changed, 42, out _));
    }

    [Property]
    public bool TheStartCursor_DecodesToNoPosition(PositiveInt user)
        => Cursors.TryDecode(Cursors.Encode(user.Get, null), user.Get, out var decoded) && decoded is null;
}
