using System.Security.Claims;
using Likes.Edge.Ids;

namespace Likes.Edge.Auth;

/// <summary>The caller's user id: the token's <c>sub</c>, a positive 64-bit integer. Writes never take a user id from anywhere else.</summary>
public static class UserIdClaim
{
    public const string Type = "sub";

    public static bool TryRead(ClaimsPrincipal? user, out long userId)
        => PositiveId.TryParse(user?.FindFirst(Type)?.Value, out userId);

    /// <summary>The id of an authenticated caller; the token handler already refused any other <c>sub</c>.</summary>
    public static long UserId(this ClaimsPrincipal user)
        => TryRead(user, out var id) ? id : throw new InvalidOperationException("no authenticated user id on this request");
}
