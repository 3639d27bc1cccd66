using System.Globalization;
using System.Runtime.InteropServices;
using Dapper;
using Likes.Fixtures;
using NATS.Client.Core;
using Npgsql;
using StackExchange.Redis;

namespace Likes.Bench.Report;

/// <summary>The machine and the servers a run measured: figures from another machine are not comparable.</summary>
public sealed record Machine(int Cores, string CpuModel, double MemoryGb, string Dotnet, string Os, string Date, string Redis, string Postgres, string Nats)
{
    public static async Task<Machine> DescribeAsync(BenchEnvironment env, IConnectionMultiplexer redis)
    {
        var redisVersion = (await redis.Masters()[0].InfoAsync("server")).SelectMany(g => g).FirstOrDefault(kv => kv.Key == "redis_version").Value ?? "?";
        string postgres;
        await using (var pg = NpgsqlDataSource.Create(env.Postgres))
        await using (var connection = await pg.OpenConnectionAsync())
        {
            postgres = await connection.ExecuteScalarAsync<string>("SHOW server_version") ?? "?";
        }

        await using var nats = new NatsConnection(new NatsOpts { Url = env.Nats, Name = "likes-bench-machine" });
        await nats.ConnectAsync();
        return new Machine(
            Environment.ProcessorCount,
            ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            Math.Round(MemoryKb() / 1024.0 / 1024.0, 1),
            RuntimeInformation.FrameworkDescription,
            RuntimeInformation.OSDescription,
            DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            redisVersion,
            postgres,
            nats.ServerInfo?.Version ?? "?");
    }

    private static long MemoryKb()
    {
        var total = ProcField("/proc/meminfo", "MemTotal");
        return total is null ? 0 : long.Parse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture);
    }

    private static string? ProcField(string file, string name)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
}
