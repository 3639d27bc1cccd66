using System.Diagnostics;
using System.Globalization;

namespace Likes.Faults.Tests.Stack;

/// <summary>POSIX signals to processes of the private stack, always by process id.</summary>
public static class Signals
{
    public const string Kill = "KILL";
    public const string Stop = "STOP";
    public const string Continue = "CONT";

    public static async Task SendAsync(string signal, IEnumerable<int> pids)
    {
        var ids = pids.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToList();
        if (ids.Count == 0)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, .. ids]) { UseShellExecute = false, RedirectStandardError = true })!;
        await kill.StandardError.ReadToEndAsync();
        await kill.WaitForExitAsync();
    }

    /// <summary>A process and every process below it (a PostgreSQL server is a postmaster and its backends).</summary>
    public static IReadOnlyList<int> WithDescendants(int root)
    {
        var parents = new Dictionary<int, int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && ParentOf(dir) is { } parent)
            {
                parents[pid] = parent;
            }
        }

        var tree = new List<int> { root };
        for (var i = 0; i < tree.Count; i++)
        {
            tree.AddRange(parents.Where(p => p.Value == tree[i]).Select(p => p.Key));
        }

        return tree;
    }

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int? ParentOf(string procDir)
    {
        try
        {
            // "pid (comm) state ppid ...": comm may contain spaces, so read after the last ')'.
            var stat = File.ReadAllText(Path.Combine(procDir, "stat"));
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
