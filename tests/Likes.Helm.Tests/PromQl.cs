using System.Text.RegularExpressions;

namespace Likes.Helm.Tests;

/// <summary>Just enough PromQL reading to list the metric names an expression selects.</summary>
public static partial class PromQl
{
    private static readonly HashSet<string> Keywords =
        ["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "inf", "nan"];

    /// <summary>
    /// Metric names the expression reads: bare selectors, plus each alternative of a
    /// <c>__name__=~"prefix_(a|b)_suffix"</c> matcher.
    /// </summary>
    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match m in NameMatcher().Matches(expr))
        {
            foreach (var name in ExpandAlternation(m.Groups["re"].Value))
            {
                names.Add(name);
            }
        }

        // Drop what is not a metric name: strings, label matchers, ranges, grouping clauses.
        var stripped = StringLiteral().Replace(expr, " ");
        stripped = Braces().Replace(stripped, " ");
        stripped = Brackets().Replace(stripped, " ");
        stripped = Grouping().Replace(stripped, " ");
        foreach (Match m in Identifier().Matches(stripped))
        {
            var token = m.Groups["id"].Value;
            if (m.Groups["call"].Success || Keywords.Contains(token.ToLowerInvariant()))
            {
                continue;
            }

            names.Add(token);
        }

        return names;
    }

    /// <summary>Expands one (a|b|c) group: "x_(a|b)_y" → x_a_y, x_b_y. Anything fancier is returned as is.</summary>
    private static IEnumerable<string> ExpandAlternation(string regex)
    {
        var group = Alternation().Match(regex);
        if (!group.Success)
        {
            return [regex];
        }

        return group.Groups["alts"].Value.Split('|')
            .Select(alt => regex[..group.Index] + alt + regex[(group.Index + group.Length)..]);
    }

    [GeneratedRegex(@"__name__\s*=~?\s*""(?<re>[^""]+)""")]
    private static partial Regex NameMatcher();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|'(?:[^'\\]|\\.)*'")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.])(?<id>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"\((?<alts>[a-z0-9_]+(\|[a-z0-9_]+)+)\)")]
    private static partial Regex Alternation();
}
