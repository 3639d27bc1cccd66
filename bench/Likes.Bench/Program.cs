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
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: likes-bench demo");
    return 2;
}
