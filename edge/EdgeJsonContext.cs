using System.Text.Json;
using System.Text.Json.Serialization;
using Likes.Edge.Account;
using Likes.Edge.Reads;
using Likes.Edge.Writes;

namespace Likes.Edge;

/// <summary>Source-generated JSON for the edge's response bodies (problem details have their own).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LikeAccepted))]
[JsonSerializable(typeof(ContentDeleted))]
[JsonSerializable(typeof(FeedStateBody))]
[JsonSerializable(typeof(LikeCountBody))]
[JsonSerializable(typeof(MyLikesBody))]
[JsonSerializable(typeof(LikersBody))]
[JsonSerializable(typeof(SettingsBody))]
[JsonSerializable(typeof(ErasureAccepted))]
[JsonSerializable(typeof(ExportLine))]
public sealed partial class EdgeJsonContext : JsonSerializerContext;
