namespace Likes.Edge.Writes;

/// <summary>The 202 body: <c>{"contentId":"42","liked":true}</c>. Ids are strings so JavaScript never rounds them.</summary>
public sealed record LikeAccepted(string ContentId, bool Liked);
