using System.Globalization;

namespace Likes.Bench.Diagnostics;

/// <summary>
/// CPU seconds that named processes spent between start and stop, read from /proc/&lt;pid&gt;/stat. On a
/// small shared machine this says where a scenario's time went (the edge, the load generator, Redis…).
/// </summary>
public sealed class CpuMeter
{
    /// <summary>The key of the whole machine's busy CPU seconds (every process, every core): what the named ones share.</summary>
    public const string Machine = "machine";

    // USER_HZ: the unit of utime/stime in /proc; 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    private readonly Dictionary<string, (int Pid, bool Tree, double Start)> _processes = [];
    private double? _machineStart;

    private CpuMeter()
    {
    }

    /// <param name="trees">Processes counted with their children (PostgreSQL: the postmaster and its backends).</param>
    public static CpuMeter Start(IEnumerable<(string Name, int? Pid)> processes, IEnumerable<(string Name, int? Pid)>? trees = null)
    {
        var meter = new CpuMeter { _machineStart = MachineBusySeconds() };
        foreach (var (name, pid, tree) in processes.Select(p => (p.Name, p.Pid, false)).Concat((trees ?? []).Select(p => (p.Name, p.Pid, true))))
        {
            if (pid is { } p && Seconds(p, tree) is { } start)
            {
                meter._processes[name] = (p, tree, start);
            }
        }

        return meter;
    }

    /// <summary>CPU seconds per process since start (processes that went away are left out).</summary>
    public IReadOnlyDictionary<string, double> Stop()
    {
        var spent = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, (pid, tree, start)) in _processes)
        {
            if (Seconds(pid, tree) is { } now)
            {
                spent[name] = Math.Round(now - start, 2);
            }
        }

        if (_machineStart is { } machineStart && MachineBusySeconds() is { } machineEnd)
        {
            spent[Machine] = Math.Round(machineEnd - machineStart, 2);
        }

        return spent;
    }

    /// <summary>Busy time of all cores together, from the first line of /proc/stat (everything but idle and iowait).</summary>
    private static double? MachineBusySeconds()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            return (fields.Sum() - fields[3] - fields[4]) / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    private static double? Seconds(int pid, bool tree) => tree ? TreeSeconds(pid) : Stat(pid) is { } f ? f.Own : null;

    /// <summary>
    /// A process and its children: its own time, its reaped children's (cutime, cstime: a backend that exited), and each
    /// live child's own, so a child that exits between two reads moves from one term to the other and nothing is lost.
    /// </summary>
    private static double? TreeSeconds(int pid)
    {
        if (Stat(pid) is not { } parent)
        {
            return null;
        }

        var total = parent.Own + parent.Children;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var child) && Stat(child) is { } c && c.Parent == pid)
            {
                total += c.Own;
            }
        }

        return total;
    }

    /// <summary>/proc/&lt;pid&gt;/stat: the parent, own CPU seconds (utime + stime) and reaped children's (cutime + cstime).</summary>
    private static (int Parent, double Own, double Children)? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces; fields after it start at the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            return ((int)Field(1), (Field(11) + Field(12)) / TicksPerSecond, (Field(13) + Field(14)) / TicksPerSecond);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
