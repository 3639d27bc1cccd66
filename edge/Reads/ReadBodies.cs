using System.Text.Json.Serialization;

namespace Likes.Edge.Reads;

// The read endpoints' bodies. Ids are strings so JavaScript never rounds them; a fact that could not be
// known is null, and only then does the body carry "degraded": true.

public sealed record FeedStateItem(string ContentId, long? Count, bool? Liked);

public sealed record FeedStateBody(
    IReadOnlyList<FeedStateItem> Items,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Degraded);

public sealed record LikeCountBody(
    string ContentId,
    long? Count,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Degraded);

/// <summary><c>likedAt</c>: UTC, millisecond precision, e.g. <c>2026-11-24T10:00:00.123Z</c>.</summary>
public sealed record MyLikeItem(string ContentId, string LikedAt);

public sealed record MyLikesBody(
    IReadOnlyList<MyLikeItem> Items,
    string? NextCursor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Degraded);

public sealed record LikerItem(string UserId, string LikedAt);

/// <summary><c>count</c> and <c>privateLikers</c> are of one snapshot with the page: on the first, listed + private = count.</summary>
public sealed record LikersBody(IReadOnlyList<LikerItem> Items, long Count, long PrivateLikers, string? NextCursor);
