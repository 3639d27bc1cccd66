using System.Diagnostics;
using System.Text;

namespace Likes.Faults.Tests.Stack;

/// <summary>
/// Runs the project's own scripts (scripts/servers.sh, scripts/fleet.sh) the way <c>./likes</c> does, with the
/// private stack's environment, so the suite starts and stops servers and daemons exactly as a developer would.
/// </summary>
public static class Scripts
{
    public static async Task<string> RunAsync(string root, IReadOnlyDictionary<string, string> environment, string commands, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("bash", ["-c", $"set -euo pipefail; source scripts/servers.sh; source scripts/fleet.sh; {commands}"])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.Environment["LIKES_ROOT"] = root;
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start bash");
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = PumpAsync(process.StandardOutput, output);
        var stderr = PumpAsync(process.StandardError, output);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            // Only the shell: the servers and daemons it started live on by design.
            process.Kill();
            throw new TimeoutException($"'{commands}' took longer than {timeout.TotalSeconds:F0} s:\n{output}");
        }

        await Task.WhenAll(stdout, stderr);
        return process.ExitCode == 0
            ? output.ToString()
            : throw new InvalidOperationException($"'{commands}' failed with exit code {process.ExitCode}:\n{output}");
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (into)
            {
                into.AppendLine(line);
            }
        }
    }
}
