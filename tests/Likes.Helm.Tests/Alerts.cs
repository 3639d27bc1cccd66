using System.Text.Json;

namespace Likes.Helm.Tests;

/// <summary>One alerting rule of helm/likes/files/alerts.yaml.</summary>
public sealed record AlertRule(
    string Group,
    string Name,
    string Expr,
    string? For,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations);

/// <summary>The alerts file and its unit tests, read as data.</summary>
public static class Alerts
{
    public const string RunbookBase = "https://github.com/likes/likes/blob/main/docs/runbooks";

    public static IReadOnlyList<AlertRule> Rules { get; } = ReadRules();

    /// <summary>Alert names, once each (an alert may have one rule per consumer).</summary>
    public static IReadOnlyList<string> Names => [.. Rules.Select(r => r.Name).Distinct().Order(StringComparer.Ordinal)];

    public static IEnumerable<object[]> NameData => Names.Select(n => new object[] { n });

    private static List<AlertRule> ReadRules()
    {
        var file = Yaml.Load(Repo.AlertsFile);
        var rules = new List<AlertRule>();
        foreach (var group in file.GetProperty("groups").EnumerateArray())
        {
            var groupName = group.GetProperty("name").GetString()!;
            foreach (var rule in group.GetProperty("rules").EnumerateArray())
            {
                if (!rule.TryGetProperty("alert", out var alert))
                {
                    continue;
                }

                rules.Add(new AlertRule(
                    groupName,
                    alert.GetString()!,
                    rule.GetProperty("expr").GetString()!,
                    rule.StringAt("for"),
                    Strings(rule, "labels"),
                    Strings(rule, "annotations")));
            }
        }

        return rules;
    }

    private static Dictionary<string, string> Strings(JsonElement rule, string property) =>
        rule.TryGetProperty(property, out var map) && map.ValueKind == JsonValueKind.Object
            ? map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString())
            : [];
}
