using System.Text.RegularExpressions;
using Xunit;

namespace Likes.Helm.Tests;

/// <summary>docs/runbooks: one per alert, reachable from its runbook_url, in the house shape.</summary>
public sealed partial class RunbookTests
{
    private static readonly string[] Sections = ["Meaning", "Impact", "Diagnosis", "Mitigation"];

    [Theory]
    [MemberData(nameof(Alerts.NameData), MemberType = typeof(Alerts))]
    public void EveryAlert_RunbookUrl_ResolvesToARunbookFile(string alert)
    {
        foreach (var rule in Alerts.Rules.Where(r => r.Name == alert))
        {
            var url = rule.Annotations["runbook_url"];
            Assert.StartsWith(Alerts.RunbookBase + "/", url, StringComparison.Ordinal);

            var relative = url[(Alerts.RunbookBase.Length + 1)..];
            var file = Path.Combine(Repo.Runbooks, relative);
            Assert.True(File.Exists(file), $"{alert}: runbook_url {url} has no file docs/runbooks/{relative}");
            Assert.Equal($"{alert}.md", relative);
        }
    }

    [Theory]
    [MemberData(nameof(Alerts.NameData), MemberType = typeof(Alerts))]
    public void EveryRunbook_IsTitledWithItsAlert_AndHasTheFourSectionsInOrder(string alert)
    {
        var text = Runbook(alert);

        Assert.Equal($"# {alert}", text.Split('\n')[0].TrimEnd());
        var positions = Sections.Select(s => Heading(text, s)).ToList();
        for (var i = 0; i < Sections.Length; i++)
        {
            Assert.True(positions[i] >= 0, $"{alert}.md has no section \"## {Sections[i]}\"");
            if (i > 0)
            {
                Assert.True(positions[i] > positions[i - 1], $"{alert}.md: \"## {Sections[i]}\" must come after \"## {Sections[i - 1]}\"");
            }
            Assert.False(string.IsNullOrWhiteSpace(Section(text, Sections[i])), $"{alert}.md: \"## {Sections[i]}\" is empty");
        }
    }

    [Theory]
    [MemberData(nameof(Alerts.NameData), MemberType = typeof(Alerts))]
    public void EveryRunbook_DiagnosesWithCopyPasteableCommands(string alert)
    {
        var diagnosis = Section(Runbook(alert), "Diagnosis");

        Assert.Matches(BashBlock(), diagnosis);
        Assert.Contains("kubectl ", diagnosis, StringComparison.Ordinal);
    }

    [Fact]
    public void Runbooks_TogetherUseEveryOperatorTool()
    {
        var all = string.Join('\n', Alerts.Names.Select(a => Section(Runbook(a), "Diagnosis")));

        foreach (var tool in (string[])["kubectl ", "nats ", "redis-cli ", "psql ", "exec deploy/likes-reconciler -- dotnet Likes.Reconciler.dll reconcile"])
        {
            Assert.Contains(tool, all, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryRunbookFile_BelongsToAnAlert()
    {
        var files = Directory.GetFiles(Repo.Runbooks, "*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(n => n != "README")
            .ToList();

        var orphans = files.Except(Alerts.Names).ToList();
        Assert.True(orphans.Count == 0, $"runbooks without an alert: {string.Join(", ", orphans!)}");
    }

    [Fact]
    public void RunbookIndex_ListsEveryAlert()
    {
        var index = File.ReadAllText(Path.Combine(Repo.Runbooks, "README.md"));

        foreach (var alert in Alerts.Names)
        {
            Assert.Contains($"[{alert}]({alert}.md)", index, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RunbookLinks_ToRepositoryFilesResolve()
    {
        var files = Directory.GetFiles(Repo.Runbooks, "*.md").Append(Path.Combine(Repo.Root, "docs", "operations.md"));
        foreach (var file in files)
        {
            foreach (Match link in RelativeLink().Matches(File.ReadAllText(file)))
            {
                var target = link.Groups["path"].Value;
                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, target));
                Assert.True(File.Exists(resolved) || Directory.Exists(resolved), $"{Path.GetFileName(file)} links to {target}, which does not exist");
            }
        }
    }

    private static string Runbook(string alert)
    {
        var file = Path.Combine(Repo.Runbooks, $"{alert}.md");
        Assert.True(File.Exists(file), $"no runbook docs/runbooks/{alert}.md");
        return File.ReadAllText(file).ReplaceLineEndings("\n");
    }

    private static int Heading(string text, string section)
    {
        var m = Regex.Match(text, $"^## {section}\\s*$", RegexOptions.Multiline);
        return m.Success ? m.Index : -1;
    }

    private static string Section(string text, string section)
    {
        var start = Heading(text, section);
        if (start < 0)
        {
            return "";
        }

        var next = Regex.Match(text[(start + 3)..], "^## ", RegexOptions.Multiline);
        return next.Success ? text.Substring(start, next.Index + 3) : text[start..];
    }

    [GeneratedRegex("```bash\\n[\\s\\S]+?\\n```")]
    private static partial Regex BashBlock();

    // Markdown links to files of this repository (not web addresses, not anchors).
    [GeneratedRegex(@"\]\((?<path>(?!https?:|mailto:|#)[^)#\s]+)(#[^)]*)?\)")]
    private static partial Regex RelativeLink();
}
