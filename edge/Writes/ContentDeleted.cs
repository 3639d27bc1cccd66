namespace Likes.Edge.Writes;

/// <summary>The body of a content deletion's <c>202</c>: the content id as a string.</summary>
public sealed record ContentDeleted(string ContentId, bool Deleted);
