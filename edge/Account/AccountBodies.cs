namespace Likes.Edge.Account;

// The caller's own account: settings, erasure and export. Ids are strings, as everywhere in the API.

/// <summary><c>likesPublic</c> false leaves the caller out of every likers list (counted, not named).</summary>
public sealed record SettingsBody(bool LikesPublic);

public sealed record ErasureAccepted(bool Erasing);

/// <summary>One line of the NDJSON export.</summary>
public sealed record ExportLine(string ContentId, string LikedAt);
