using System.Diagnostics;
using Likes.Fixtures;
using Xunit;

namespace Likes.Reconciler.Tests;

/// <summary><c>dotnet Likes.Reconciler.dll reconcile [--full]</c> as an operator runs it: a real process, a readable report, an exit code.</summary>
public class ReconcileCommandTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private readonly Stack _stack = new(fixture);

    [Fact]
    public async Task Reconcile_RepairsAndReports_ThenFindsNothing()
    {
        await _stack.SetCountRowAsync(601, count: 5, version: 3, age: TimeSpan.FromSeconds(1));
        await _stack.SetRedisAsync(601, "4:3");

        var (exit, output) = await RunAsync("reconcile");

        Assert.Equal(0, exit);
        Assert.Contains("content 601: redis wrong count at the same version: found 4:3, truth 5:3, repaired", output, StringComparison.Ordinal);
        Assert.Contains("result: 1 drifted, 1 repaired", output, StringComparison.Ordinal);
        Assert.Equal("5:3", await _stack.RedisAsync(601));

        (exit, output) = await RunAsync("reconcile");
        Assert.Equal(0, exit);
        Assert.Contains("result: no drift", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconcileFull_RepairsACountRow()
    {
        await _stack.InsertLikesAsync(602, users: 3);
        await _stack.SetCountRowAsync(602, count: 9, version: 2, age: TimeSpan.FromHours(3));

        var (exit, output) = await RunAsync("reconcile", "--full");

        Assert.Equal(0, exit);
        Assert.Contains("content 602: postgres count row differs from COUNT(*): found 9, truth 3 (version 3), repaired", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownOption_IsAUsageError()
    {
        var (exit, _) = await RunAsync("reconcile", "--everything");
        Assert.Equal(2, exit);
    }

    private async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [ReconcilerDll(), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in _stack.Configuration())
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The daemon's own build output, next to this test assembly's configuration.</summary>
    private static string ReconcilerDll()
    {
        var here = AppContext.BaseDirectory;
        var configuration = here.Contains("/release/", StringComparison.Ordinal) ? "release" : "debug";
        var artifacts = here[..here.IndexOf("/artifacts/", StringComparison.Ordinal)];
        return Path.Combine(artifacts, "artifacts", "bin", "Likes.Reconciler", configuration, "Likes.Reconciler.dll");
    }
}
