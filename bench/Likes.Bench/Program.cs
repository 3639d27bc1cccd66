using Likes.Bench;
using Likes.Bench.Demo;
using Likes.Bench.Fleet;
using Likes.Bench.Report;
using Likes.Bench.Run;
using Likes.Bench.Scenarios;
using System.Runtime.InteropServices;
using Spectre.Console;

// likes-bench: the demo and the benchmarks, run against the stack `./likes up` started.
var env = BenchEnvironment.FromEnvironment();
if (Console.IsOutputRedirected)
{
    // A captured run (a file, a CI log) is read on a wide screen; Spectre would otherwise wrap at 80 columns.
    AnsiConsole.Profile.Width = 160;
}

var root = Environment.GetEnvironmentVariable("LIKES_ROOT") ?? Directory.GetCurrentDirectory();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

// A terminated run still removes its private databases, streams and keys (they are disposed on the way out).
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancel.Cancel();
});

return args switch
{
    ["demo"] => await new DemoWorkload(env, DemoOptions.Showcase).RunAsync(cancel.Token),
    ["bench"] => await new BenchRunner(env, BenchSizes.Full, root).RunAsync(cancel.Token),
    ["bench", "--quick"] => await new BenchRunner(env, BenchSizes.Quick, root).RunAsync(cancel.Token),
    ["persist"] => await Persist(),
    ["topology", var name, .. var mode] when mode is [] or ["--quick"] => await Topology(name, mode is [] ? BenchSizes.Full : BenchSizes.Quick),
    ["topology-comparison"] => await TopologyComparison.WriteAsync(root),
    _ => Usage(),
};

async Task<int> Persist()
{
    using var fleet = FleetDaemons.FromEnvironment();
    var pids = new ProcessIds([("load generator", Environment.ProcessId), ("redis", fleet.Pid("redis")), ("nats", fleet.Pid("nats"))], [("postgres", fleet.Pid("postgres"))]);
    var figures = await new PersistScenario(events: 200_000, batchSize: 1000, pids).RunAsync(Console.WriteLine, cancel.Token);
    Console.WriteLine($"  cpu seconds while draining: {string.Join(", ", figures.DrainCpuSeconds.Select(c => $"{c.Key} {c.Value:F2}"))}");
    Console.WriteLine($"  cpu seconds while inserting raw: {string.Join(", ", figures.RawCpuSeconds.Select(c => $"{c.Key} {c.Value:F2}"))}");
    Console.WriteLine($"persist: {figures.Rows:N0} rows; persister {figures.RowsPerSecond:N0} rows/s; raw batched inserts {figures.RawRowsPerSecond:N0} rows/s; ratio {figures.Ratio:F2} (goal >= 0.5)");
    foreach (var s in figures.Statements)
    {
        Console.WriteLine($"  postgres {s.Milliseconds,9:F0} ms {s.Calls,7:N0} calls  {string.Join(' ', s.Query.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)).PadRight(90)[..90]}");
    }

    foreach (var c in figures.RedisCommands)
    {
        Console.WriteLine($"  redis    {c.Microseconds / 1000.0,9:F0} ms {c.Calls,7:N0} calls  {c.Command}");
    }

    return 0;
}

async Task<int> Topology(string name, BenchSizes sizes)
{
    using var fleet = FleetDaemons.FromEnvironment();
    var figures = await new TopologyScenario(env, sizes, fleet).RunAsync(name, cancel.Token);
    await TopologyComparison.SaveAsync(figures, root);
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: likes-bench demo | bench [--quick] | persist | topology <single|cluster> [--quick] | topology-comparison");
    return 2;
}
