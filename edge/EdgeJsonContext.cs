using System.Text.Json;
using System.Text.Json.Serialization;
using Likes.Edge.Reads;
using Likes.Edge.Writes;

namespace Likes.Edge;

/// <summary>Source-generated JSON for the edge's response bodies (problem details have their own).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LikeAccepted))]
[JsonSerializable(typeof(FeedStateBody))]
[JsonSerializable(typeof(LikeCountBody))]
[JsonSerializable(typeof(MyLikesBody))]
public sealed partial class EdgeJsonContext : JsonSerializerContext;
