using System.Text.Json;
using System.Text.Json.Serialization;

namespace Likes.Bench.Report;

/// <summary>Writes the results as bench/results/latest.json (snake_case keys, indented, numbers as numbers).</summary>
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
        var path = Path.Combine(root, "bench", "results", "latest.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written beside and moved over, so a reader never sees half a file.
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, JsonSerializer.Serialize(results, Json) + "\n");
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
