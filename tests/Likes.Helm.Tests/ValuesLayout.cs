using System.Text.RegularExpressions;

namespace Likes.Helm.Tests;

/// <summary>One mapping key of values.yaml as written: its dotted path, line and the comment above it.</summary>
public sealed record ValuesKey(string Path, int Line, string? CommentAbove);

/// <summary>
/// values.yaml read as text, so key order and comments (which a YAML parser drops) can be checked.
/// Handles the block style values.yaml is written in: one key per line, two-space indentation.
/// </summary>
public static partial class ValuesLayout
{
    public static IReadOnlyList<ValuesKey> Keys(string file)
    {
        var keys = new List<ValuesKey>();
        var stack = new List<(int Indent, string Name)>();
        var lines = File.ReadAllLines(file);
        for (var i = 0; i < lines.Length; i++)
        {
            var m = KeyLine().Match(lines[i]);
            if (!m.Success)
            {
                continue;
            }

            var indent = m.Groups["indent"].Length;
            stack.RemoveAll(s => s.Indent >= indent);
            stack.Add((indent, m.Groups["key"].Value));
            var path = string.Join('.', stack.Select(s => s.Name));

            var comment = i > 0 && lines[i - 1].TrimStart().StartsWith('#') ? lines[i - 1].Trim() : null;

            keys.Add(new ValuesKey(path, i + 1, comment));
        }

        return keys;
    }

    /// <summary>The direct children of a mapping, in file order.</summary>
    public static IReadOnlyList<string> Children(IReadOnlyList<ValuesKey> keys, string parent) =>
        [.. keys.Where(k => k.Path.StartsWith(parent + ".", StringComparison.Ordinal) && !k.Path[(parent.Length + 1)..].Contains('.'))
                .Select(k => k.Path[(parent.Length + 1)..])];

    [GeneratedRegex(@"^(?<indent> *)(?<key>[A-Za-z_][A-Za-z0-9_.\-/]*):(\s|$)")]
    private static partial Regex KeyLine();
}
