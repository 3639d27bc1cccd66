namespace Likes.Persister;

/// <summary>A like of a relation PostgreSQL already had, with the time of the existing like (Unix ms).</summary>
public readonly record struct DuplicateLike(long UserId, long ContentId, long LikedAtMs);
