using System.Globalization;
using StackExchange.Redis;

namespace Likes.Bench.Diagnostics;

/// <summary>
/// Redis <c>INFO commandstats</c> at one moment; two of them say which commands a scenario sent and what
/// Redis spent on them. Server-wide: anything else using the same Redis meanwhile is counted too.
/// </summary>
public sealed class RedisCommandStats
{
    private readonly Dictionary<string, (long Calls, long Usec)> _commands;

    private RedisCommandStats(Dictionary<string, (long Calls, long Usec)> commands) => _commands = commands;

    /// <summary>Summed over <paramref name="servers"/>: the masters of a Redis Cluster together, or one node by itself.</summary>
    public static async Task<RedisCommandStats> TakeAsync(IEnumerable<IServer> servers)
    {
        var commands = new Dictionary<string, (long Calls, long Usec)>(StringComparer.Ordinal);
        foreach (var info in await Task.WhenAll(servers.Select(s => s.InfoAsync("commandstats"))))
        {
            foreach (var (key, value) in info.SelectMany(g => g))
            {
                var name = key.Replace("cmdstat_", string.Empty, StringComparison.Ordinal);
                var sum = commands.GetValueOrDefault(name);
                commands[name] = (sum.Calls + Field(value, "calls"), sum.Usec + Field(value, "usec"));
            }
        }

        return new RedisCommandStats(commands);
    }

    /// <summary>Commands called since <paramref name="before"/>, the most expensive first.</summary>
    public IReadOnlyList<CommandCost> Since(RedisCommandStats before)
        => [.. _commands
            .Select(c => new CommandCost(c.Key, c.Value.Calls - before._commands.GetValueOrDefault(c.Key).Calls, c.Value.Usec - before._commands.GetValueOrDefault(c.Key).Usec))
            .Where(c => c.Calls > 0)
            .OrderByDescending(c => c.Microseconds)];

    // "calls=10,usec=20,usec_per_call=2.00,rejected_calls=0,failed_calls=0"
    private static long Field(string value, string name)
    {
        foreach (var part in value.Split(','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && part.AsSpan(0, eq).SequenceEqual(name))
            {
                return long.Parse(part.AsSpan(eq + 1), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}

public sealed record CommandCost(string Command, long Calls, long Microseconds)
{
    public double MicrosecondsPerCall => Calls > 0 ? Math.Round((double)Microseconds / Calls, 2) : 0;
}
