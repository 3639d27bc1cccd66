using Likes.Bench;
using Likes.Bench.Demo;
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
    _ => Usage(),
};

async Task<int> Persist()
{
    var figures = await new PersistScenario(events: 200_000, batchSize: 1000).RunAsync(Console.WriteLine, cancel.Token);
    Console.WriteLine($"persist: {figures.Rows:N0} rows; persister {figures.RowsPerSecond:N0} rows/s; raw batched inserts {figures.RawRowsPerSecond:N0} rows/s; ratio {figures.Ratio:F2} (goal >= 0.5)");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: likes-bench demo | bench [--quick] | persist");
    return 2;
}
