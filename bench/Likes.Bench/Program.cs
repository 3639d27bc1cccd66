using Likes.Bench;
using Likes.Bench.Demo;

// likes-bench: the demo workload and the benchmarks, run against the stack `./likes up` started.
var env = BenchEnvironment.FromEnvironment();
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return args.FirstOrDefault() switch
{
    "demo" => await new DemoWorkload(env, new DemoOptions(Users: 5_000, Contents: 2_000, Clients: 32, Duration: TimeSpan.FromSeconds(20), UnlikeShare: 0.2)).RunAsync(cancel.Token),
    "persist" => await Persist(),
    _ => Usage(),
};

async Task<int> Persist()
{
    var figures = await new Likes.Bench.Scenarios.PersistScenario(events: 200_000, batchSize: 1000).RunAsync(Console.WriteLine, cancel.Token);
    Console.WriteLine($"persist: {figures.Rows:N0} rows; persister {figures.RowsPerSecond:N0} rows/s; raw batched inserts {figures.RawRowsPerSecond:N0} rows/s; ratio {figures.Ratio:F2} (goal >= 0.5)");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: likes-bench demo");
    return 2;
}
