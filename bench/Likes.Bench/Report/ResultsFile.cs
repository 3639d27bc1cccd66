using System.Text.Json;
using System.Text.Json.Serialization;

namespace Likes.Bench.Report;

/// <summary>
/// Writes the results as bench/results/latest.json, and as bench/results/&lt;mode&gt;.json so the last quick and
/// the last full run are both kept (snake_case keys, indented, numbers as numbers).
/// </summary>
public static class ResultsFile
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<string> WriteAsync(BenchResults results, string root)
    {
        var directory = Path.Combine(root, "bench", "results");
        Directory.CreateDirectory(directory);
        var json = JsonSerializer.Serialize(results, Json) + "\n";
        var latest = Path.Combine(directory, "latest.json");
        foreach (var path in new[] { latest, Path.Combine(directory, results.Run.Mode + ".json") })
        {
            // Written beside and moved over, so a reader never sees half a file.
            var temporary = path + ".tmp";
            await File.WriteAllTextAsync(temporary, json);
            File.Move(temporary, path, overwrite: true);
        }

        return latest;
    }
}
