using System.Diagnostics;

namespace Likes.Shared;

/// <summary>The activity source of Likes' own spans (publish, apply batch, persist batch).</summary>
public static class LikesTelemetry
{
    public const string SourceName = "Likes";

    public static readonly ActivitySource Source = new(SourceName);
}
