using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace Likes.Fixtures;

/// <summary>
/// A server binary (nats-server, redis-server) started by a test on loopback, its output in a log file the test
/// can read; stopped by its own pid, never by name.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, string log)
    {
        _process = process;
        Log = log;
    }

    public string Log { get; }

    public static ServerProcess Start(string file, IEnumerable<string> args, string log, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var writer = new StreamWriter(log, append: true) { AutoFlush = true };
        var gate = new Lock();
        void Write(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                writer.WriteLine(line);
            }
        }

        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) => writer.Dispose();
        process.EnableRaisingEvents = true;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ServerProcess(process, log);
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Returns once the server accepts connections on <paramref name="port"/>; fails with its log if it exited.</summary>
    public async Task ListeningAsync(int port)
    {
        await Eventually.UntilAsync(() => Task.FromResult(Accepts(port) || HasExited), what: $"a server listening on {port}");
        Assert.False(HasExited, $"the server on {port} exited:\n{LogSince(0)}");
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>What the server logged after <paramref name="offset"/> characters (see <see cref="LogLength"/>).</summary>
    public string LogSince(long offset)
    {
        var text = ReadLog();
        return offset < text.Length ? text[(int)offset..] : string.Empty;
    }

    public long LogLength => ReadLog().Length;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private string ReadLog()
    {
        using var stream = new FileStream(Log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
