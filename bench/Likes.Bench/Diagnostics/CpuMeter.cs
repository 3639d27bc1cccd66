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

    private readonly Dictionary<string, (int Pid, double Start)> _processes = [];
    private double? _machineStart;

    private CpuMeter()
    {
    }

    public static CpuMeter Start(IEnumerable<(string Name, int? Pid)> processes)
    {
        var meter = new CpuMeter { _machineStart = MachineBusySeconds() };
        foreach (var (name, pid) in processes)
        {
            if (pid is { } p && CpuSeconds(p) is { } start)
            {
                meter._processes[name] = (p, start);
            }
        }

        return meter;
    }

    /// <summary>CPU seconds per process since start (processes that went away are left out).</summary>
    public IReadOnlyDictionary<string, double> Stop()
    {
        var spent = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, (pid, start)) in _processes)
        {
            if (CpuSeconds(pid) is { } now)
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

    private static double? CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may hold spaces; fields after it start at the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (utime + stime) / TicksPerSecond;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
