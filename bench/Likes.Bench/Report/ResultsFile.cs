using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Likes.Bench.Report;

/// <summary>
/// Writes the results as bench/results/latest.json, and as bench/results/&lt;mode&gt;.json so the last quick and
/// the last full run are both kept (snake_case keys, indented, numbers as numbers). The <c>cluster</c> key of
/// latest.json (<see cref="TopologyComparison"/>, another command's) is kept as it was.
/// </summary>
public static class ResultsFile
{
    public const string ClusterKey = "cluster";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>For a document edited as JSON nodes: its strings written as they were read (a time's '+' unescaped).</summary>
    public static readonly JsonSerializerOptions Nodes = new(Json) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string LatestPath(string root) => Path.Combine(root, "bench", "results", "latest.json");

    public static async Task<string> WriteAsync(BenchResults results, string root)
    {
        var directory = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(directory);
        var json = JsonSerializer.Serialize(results, Json) + "\n";
        var latest = LatestPath(root);
        await ReplaceAsync(Path.Combine(directory, results.Run.Mode + ".json"), json);
        if (File.Exists(latest) && JsonNode.Parse(await File.ReadAllTextAsync(latest))?[ClusterKey] is { } cluster)
        {
            var node = JsonNode.Parse(json)!.AsObject();
            node[ClusterKey] = cluster.DeepClone();
            json = node.ToJsonString(Nodes) + "\n";
        }

        await ReplaceAsync(latest, json);
        return latest;
    }

    /// <summary>Written beside and moved over, so a reader never sees half a file.</summary>
    public static async Task ReplaceAsync(string path, string json)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, json);
        File.Move(temporary, path, overwrite: true);
    }
}
