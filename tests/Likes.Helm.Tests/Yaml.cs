using System.Collections.Concurrent;
using System.Text.Json;
using Xunit;

namespace Likes.Helm.Tests;

/// <summary>YAML files read through js-yaml (yaml-to-json.cjs): .NET has no YAML parser in this solution.</summary>
public static class Yaml
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<JsonElement>> Cache = new();

    /// <summary>The documents of a YAML file.</summary>
    public static IReadOnlyList<JsonElement> Documents(string path) => Cache.GetOrAdd(Path.GetFullPath(path), Read);

    /// <summary>The single document of a YAML file.</summary>
    public static JsonElement Load(string path) => Documents(path).Single(d => d.ValueKind != JsonValueKind.Null);

    private static IReadOnlyList<JsonElement> Read(string path)
    {
        var result = Tools.Node("yaml-to-json.cjs", [path]);
        Assert.True(result.ExitCode == 0, $"cannot read {path} as YAML:\n{result.Output}");
        using var json = JsonDocument.Parse(result.Stdout);
        return [.. json.RootElement.GetProperty(path).EnumerateArray().Select(d => d.Clone())];
    }
}

public static class JsonElementExtensions
{
    /// <summary>The property at a dotted path, or null when any part is missing.</summary>
    public static JsonElement? At(this JsonElement element, string path)
    {
        var current = element;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current;
    }

    public static string? StringAt(this JsonElement element, string path) =>
        element.At(path) is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;
}
