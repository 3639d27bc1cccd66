using System.Collections.Concurrent;
using System.Diagnostics;

namespace Likes.Fixtures;

/// <summary>
/// A daemon as a real OS process (its built dll), for tests that kill it with SIGKILL mid-batch.
/// Configuration goes in as environment variables (<c>Section__Key</c>).
/// </summary>
public sealed class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;

    private readonly ConcurrentQueue<string> _output = new();

    private DaemonProcess(Process process) => _process = process;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the process wrote to stdout and stderr so far (its logs), one line each.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Every daemon process started and not yet disposed: killed when the test host exits, so none outlives a run.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Process> Running = new();

    static DaemonProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Values)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    };

    public static DaemonProcess Start(string assembly, IDictionary<string, string?> configuration, int port)
        => Launch(assembly, ["--urls", $"http://127.0.0.1:{port}"], configuration);

    /// <summary>Runs one of a daemon's commands (e.g. <c>reconcile --full</c>) to its end: its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string assembly, IEnumerable<string> args, IDictionary<string, string?> configuration)
    {
        await using var command = Launch(assembly, args, configuration);
        await command._process.WaitForExitAsync();
        return (command._process.ExitCode, command.Output);
    }

    private static DaemonProcess Launch(string assembly, IEnumerable<string> args, IDictionary<string, string?> configuration)
    {
        var info = new ProcessStartInfo("dotnet", [DllPath(assembly), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (key, value) in configuration)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {assembly}");
        Running[process.Id] = process;
        var daemon = new DaemonProcess(process);
        process.OutputDataReceived += (_, line) => daemon.Keep(line.Data);
        process.ErrorDataReceived += (_, line) => daemon.Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return daemon;
    }

    /// <summary>SIGTERM, as Kubernetes stops a pod: the daemon shuts down gracefully. Returns once it exited.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        await SignalAsync("TERM");
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>SIGSTOP: the process stands still (a long GC pause, a frozen VM) until <see cref="ResumeAsync"/>.</summary>
    public Task PauseAsync() => SignalAsync("STOP");

    /// <summary>SIGCONT.</summary>
    public Task ResumeAsync() => SignalAsync("CONT");

    /// <summary>SIGKILL: no shutdown hooks, no final ack, exactly like a crashed pod.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await ResumeAsync();
            await KillAsync();
        }

        Running.TryRemove(_process.Id, out _);
        _process.Dispose();
    }

    private async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }

    /// <summary>The daemon's own build output, in the configuration the tests were built with.</summary>
    private static string DllPath(string assembly)
    {
        var configuration = AppContext.BaseDirectory.Contains("/release/", StringComparison.Ordinal) ? "release" : "debug";
        var path = Path.Combine(Repository.Root, "artifacts", "bin", assembly, configuration, assembly + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"build {assembly} first", path);
    }

    /// <summary>A free loopback port for a daemon process.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
