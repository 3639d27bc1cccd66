using System.Diagnostics;
using System.Text;
using Xunit;

namespace Likes.Helm.Tests;

public sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => $"{Stdout}\n{Stderr}".Trim();
}

/// <summary>
/// Runs the command-line tools the chart tests need. A missing tool fails the test (never skips it):
/// `./likes test` installs them (tools_install in scripts/tools.sh).
/// </summary>
public static class Tools
{
    public const string InstallHint =
        "run `./likes test`, which installs the chart test tools (or: source scripts/servers.sh; source scripts/tools.sh; tools_install)";

    public static ToolResult Run(string tool, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var path = Find(tool);
        Assert.True(path is not null, $"`{tool}` is not installed: {InstallHint}");

        var start = new ProcessStartInfo(path!)
        {
            WorkingDirectory = Repo.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"`{tool} {string.Join(' ', start.ArgumentList)}` did not finish within 2 minutes");
        }

        return new ToolResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Runs a Node script with the packages tools_install put in .local/tools.</summary>
    public static ToolResult Node(string script, IEnumerable<string> arguments)
    {
        Assert.True(Directory.Exists(Path.Combine(Repo.NodeModules, "ajv")) &&
                    Directory.Exists(Path.Combine(Repo.NodeModules, "js-yaml")) &&
                    Directory.Exists(Path.Combine(Repo.NodeModules, "kubernetes-models")),
            $"the Node packages (ajv, js-yaml, kubernetes-models) are not in {Repo.NodeModules}: {InstallHint}");
        return Run("node", [Repo.Script(script), .. arguments], new Dictionary<string, string> { ["NODE_PATH"] = Repo.NodeModules });
    }

    private static string? Find(string tool)
    {
        if (Path.IsPathRooted(tool))
        {
            return File.Exists(tool) ? tool : null;
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, tool);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
