using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Likes.Helm.Tests;

/// <summary>helm/likes/files/alerts.yaml: valid, unit-tested, named and annotated by the house rules.</summary>
public sealed partial class AlertRulesTests
{
    private static readonly string[] Severities = ["critical", "warning", "info"];

    [Fact]
    public void Promtool_CheckRules_AcceptsTheAlertsFile()
    {
        var result = Tools.Run("promtool", ["check", "rules", Repo.AlertsFile]);

        Assert.True(result.ExitCode == 0, $"promtool check rules failed:\n{result.Output}");
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Promtool_TestRules_PassesEveryAlertUnitTest()
    {
        var result = Tools.Run("promtool", ["test", "rules", Repo.AlertsTestFile]);

        Assert.True(result.ExitCode == 0, $"promtool test rules failed:\n{result.Output}");
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Alerts.NameData), MemberType = typeof(Alerts))]
    public void EveryAlert_HasUnitTestsWhereItFiresAndWhereItStaysQuiet(string alert)
    {
        var cases = UnitTestCases().Where(c => c.Alert == alert).ToList();

        Assert.True(cases.Any(c => c.Fires), $"{alert}: no case in alerts_test.yaml where it fires");
        Assert.True(cases.Any(c => !c.Fires), $"{alert}: no case in alerts_test.yaml where it stays quiet");
    }

    [Fact]
    public void UnitTests_NameOnlyAlertsThatExist()
    {
        var unknown = UnitTestCases().Select(c => c.Alert).Distinct().Except(Alerts.Names).ToList();

        Assert.True(unknown.Count == 0, $"alerts_test.yaml tests alerts that do not exist: {string.Join(", ", unknown)}");
    }

    [Fact]
    public void AlertsFile_IsTheOneThePrometheusRuleTemplateEmbeds()
    {
        var template = File.ReadAllText(Repo.Template("prometheusrule.yaml"));

        Assert.Contains(".Files.Get \"files/alerts.yaml\"", template, StringComparison.Ordinal);
        Assert.Contains($"\"{Alerts.RunbookBase}\"", template, StringComparison.Ordinal);
        Assert.NotEmpty(Alerts.Rules);
    }

    [Theory]
    [MemberData(nameof(Alerts.NameData), MemberType = typeof(Alerts))]
    public void EveryAlert_IsNamedAndAnnotatedByTheHouseRules(string alert)
    {
        Assert.Matches(PascalCaseLikes(), alert);
        foreach (var rule in Alerts.Rules.Where(r => r.Name == alert))
        {
            Assert.True(rule.Labels.TryGetValue("severity", out var severity) && Severities.Contains(severity),
                $"{alert}: severity must be one of {string.Join(", ", Severities)}");
            foreach (var annotation in (string[])["summary", "description", "runbook_url"])
            {
                Assert.True(rule.Annotations.TryGetValue(annotation, out var text) && !string.IsNullOrWhiteSpace(text),
                    $"{alert}: annotation {annotation} is missing");
            }

            Assert.Equal($"{Alerts.RunbookBase}/{alert}.md", rule.Annotations["runbook_url"]);
        }
    }

    [Fact]
    public void EveryAlert_IsWrittenOnce_TheDaemonALabelNotACopy()
    {
        var copies = Alerts.Rules.GroupBy(r => r.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

        Assert.True(copies.Count == 0, $"alerts written more than once: {string.Join(", ", copies)}");
    }

    [Theory]
    [MemberData(nameof(Alerts.NameData), MemberType = typeof(Alerts))]
    public void EveryAlert_ReadsOnlyMetricsTheProcessesExpose(string alert)
    {
        foreach (var rule in Alerts.Rules.Where(r => r.Name == alert))
        {
            var names = PromQl.MetricNames(rule.Expr);

            Assert.NotEmpty(names);
            var unknown = names.Where(n => !ExposedMetrics.Exposes(n)).ToList();
            Assert.True(unknown.Count == 0,
                $"{alert} reads metrics missing from ExposedMetrics.cs: {string.Join(", ", unknown)}");
        }
    }

    [Fact]
    public void PromQl_FindsTheMetricNamesOfAnExpression()
    {
        var names = PromQl.MetricNames(
            """
            sum by (namespace, reason) (rate(likes_edge_publish_failures_total{job="likes"}[5m]))
            / ignoring (reason) group_left sum by (namespace) (rate(likes_edge_publish_seconds_count[5m])) > 0.01
            and label_replace({__name__=~"likes_(edge|persister)_dependency_up"}, "d", "$1", "__name__", "likes_(.+)_up") == 0
            or up{job="likes"} == 0 unless x offset 15m
            """);

        Assert.Equal(
            ["likes_edge_dependency_up", "likes_edge_publish_failures_total", "likes_edge_publish_seconds_count", "likes_persister_dependency_up", "up", "x"],
            names.Order(StringComparer.Ordinal));
    }

    private sealed record UnitTestCase(string Alert, bool Fires);

    private static IEnumerable<UnitTestCase> UnitTestCases()
    {
        var file = Yaml.Load(Repo.AlertsTestFile);
        foreach (var test in file.GetProperty("tests").EnumerateArray())
        {
            if (!test.TryGetProperty("alert_rule_test", out var cases))
            {
                continue;
            }

            foreach (var c in cases.EnumerateArray())
            {
                var fires = c.TryGetProperty("exp_alerts", out var expected) &&
                            expected.ValueKind == JsonValueKind.Array && expected.GetArrayLength() > 0;
                yield return new UnitTestCase(c.GetProperty("alertname").GetString()!, fires);
            }
        }
    }

    [GeneratedRegex("^Likes([A-Z][a-z0-9]+)+$")]
    private static partial Regex PascalCaseLikes();
}
