using System.Globalization;

namespace Likes.Bench.Diagnostics;

/// <summary>
/// CPU seconds that named processes spent between start and stop, read from /proc/&lt;pid&gt;/stat. On a
/// small shared machine this says where a scenario's time went (the edge, the load generator, Redis…).
/// </summary>
public sealed class CpuMeter
{
    // USER_HZ: the unit of utime/stime in /proc; 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    private readonly Dictionary<string, (int Pid, double Start)> _processes = [];

    private CpuMeter()
    {
    }

    public static CpuMeter Start(IEnumerable<(string Name, int? Pid)> processes)
    {
        var meter = new CpuMeter();
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

        return spent;
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
