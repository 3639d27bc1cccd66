using Likes.Fixtures;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Aggregator.Tests;

/// <summary>I4 and I6: SIGKILL mid-stream loses nothing and applies nothing twice; timelines end equal to the model.</summary>
public class KillMidStreamTests(StackFixture fixture, ITestOutputHelper output) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task AggregatorKilledTwiceWhileEventsFlow_RestartedCatchesUp_TimelinesEqualTheModel()
    {
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        var model = new TimelineModel();
        var published = 0;
        const int lanes = 10, usersPerLane = 6, eventsPerLane = 300;
        // Each process's batches and recoveries, printed when the timelines differ: what was applied, from where.
        var logs = new List<string>();
        var debug = new Dictionary<string, string?> { ["Logging:LogLevel:Likes.Shared.Consuming"] = "Debug" };

        var process = Aggregators.StartProcess(fixture, debug);
        try
        {
            var publishing = Task.WhenAll(Enumerable.Range(0, lanes).Select(lane => Task.Run(async () =>
            {
                var random = new Random(lane);
                for (var i = 0; i < eventsPerLane; i++)
                {
                    // Each user belongs to one lane, so the model sees each user's events in stream order.
                    var user = 1_000 + lane * usersPerLane + random.Next(usersPerLane);
                    var content = random.Next(1, 6);
                    var e = random.Next(3) == 0 ? publisher.Unlike(user, content) : publisher.Like(user, content);
                    await publisher.PublishAsync(e);
                    model.Apply(e);
                    Interlocked.Increment(ref published);

                    // Paces the stream over a few seconds, so that the kills land while events flow.
                    await Task.Delay(10);
                }
            })));

            for (var kill = 1; kill <= 2; kill++)
            {
                // Capped at the total: on a slow machine the stream can be drained before a restarted process is killed again.
                var mark = Math.Min(await AckedAsync() + 150, lanes * eventsPerLane);
                await Eventually.UntilAsync(AckedAsync, acked => acked >= mark, TimeSpan.FromSeconds(60), $"progress before kill {kill}");
                await process.KillAsync();
                logs.Add(process.Output);
                await process.DisposeAsync();
                output.WriteLine($"kill {kill}: after {Volatile.Read(ref published)} published");
                process = Aggregators.StartProcess(fixture, debug);
            }

            await publishing;
            await Aggregators.CaughtUpAsync(publisher, timeout: TimeSpan.FromSeconds(90));
        }
        finally
        {
            logs.Add(process.Output);
            await process.DisposeAsync();
        }

        Assert.Equal(lanes * eventsPerLane, published);
        try
        {
            await new TimelineReader(fixture).AssertHoldsAsync(model, within: TimeSpan.FromSeconds(30));
        }
        catch
        {
            output.WriteLine(await publisher.DescribeAsync("aggregator"));
            for (var i = 0; i < logs.Count; i++)
            {
                output.WriteLine($"--- aggregator process {i + 1}:\n{logs[i]}");
            }

            throw;
        }

        async Task<long> AckedAsync()
        {
            var publishedSoFar = Volatile.Read(ref published);
            return publishedSoFar - (long)await publisher.PendingAsync("aggregator");
        }
    }
}
