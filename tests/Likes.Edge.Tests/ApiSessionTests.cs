using System.Diagnostics;
using System.Text.RegularExpressions;
using Likes.Fixtures;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>The whole stack on a real socket, for the documented curl session.</summary>
public sealed class CurlStackFixture : LiveStackFixture
{
    protected override bool ServesOnKestrel => true;
}

/// <summary>
/// The curl session docs/api.md opens with, run as written against the real stack: <c>./likes token</c>, then each
/// command's answer compared with the one documented (<c>…</c> stands for what differs between runs: times, trace ids).
/// A command with no documented answer sets the session up: the variables and functions it leaves carry on.
/// </summary>
public sealed partial class ApiSessionTests(CurlStackFixture stack) : IClassFixture<CurlStackFixture>
{
    private const string DocumentedEdge = "http://127.0.0.1:8080";

    /// <summary>Reads are eventually fresh (docs/api.md, Freshness): an answer may take a moment to become the documented one.</summary>
    private static readonly TimeSpan Settles = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheDocumentedSession_AnswersAsDocumented()
    {
        var steps = Session(File.ReadAllText(Path.Combine(Repository.Root, "docs", "api.md")));
        Assert.True(steps.Count >= 6, $"docs/api.md should open with a curl session; found {steps.Count} commands");
        Assert.Contains(steps, s => s.Command.Contains("./likes token", StringComparison.Ordinal));

        var edge = stack.Client.BaseAddress!.ToString().TrimEnd('/');
        var state = string.Empty;
        foreach (var (command, expected) in steps)
        {
            var script = command.Replace(DocumentedEdge, edge, StringComparison.Ordinal);
            if (expected.Length == 0)
            {
                var (exit, output, error) = await BashAsync($"{state}\n{script}\nexport -p\ndeclare -f");
                Assert.True(exit == 0, $"`{command}` failed: {error}");
                state = output;
                continue;
            }

            var answer = await Eventually.UntilAsync(async () => (await BashAsync($"{state}\n{script}")).Output.TrimEnd(), a => Matches(expected, a), Settles, $"`{command}` answering as documented");
            Assert.True(Matches(expected, answer), answer);
        }
    }

    /// <summary>The first <c>console</c> block: <c>$ command</c> lines, each followed by its answer.</summary>
    private static List<(string Command, string Expected)> Session(string markdown)
    {
        var block = ConsoleBlock().Match(markdown);
        Assert.True(block.Success, "docs/api.md has no ```console block");
        var steps = new List<(string Command, string Expected)>();
        foreach (var line in block.Groups["body"].Value.Split('\n'))
        {
            if (line.StartsWith("$ ", StringComparison.Ordinal))
            {
                steps.Add((line[2..], string.Empty));
            }
            else if (steps.Count > 0)
            {
                var (command, expected) = steps[^1];
                steps[^1] = (command, expected.Length == 0 ? line : $"{expected}\n{line}");
            }
        }

        return steps.Select(s => (s.Command, s.Expected.TrimEnd())).ToList();
    }

    private static bool Matches(string expected, string actual)
    {
        var pattern = string.Join(".*?", expected.Split('…').Select(Regex.Escape));
        return Regex.IsMatch(actual, $"^{pattern}$", RegexOptions.Singleline);
    }

    private static async Task<(int Exit, string Output, string Error)> BashAsync(string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", script])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The fleet's development key, which the in-process edge (Development, no key configured) takes too.
        start.Environment["LIKES_JWT_KEY"] = Tokens.DevelopmentKey;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await error);
    }

    [GeneratedRegex(@"```console\n(?<body>.*?)```", RegexOptions.Singleline)]
    private static partial Regex ConsoleBlock();
}
