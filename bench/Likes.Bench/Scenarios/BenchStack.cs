using Likes.Fixtures;

namespace Likes.Bench.Scenarios;

/// <summary>A private stream, key prefix and database on the running servers, removed afterwards (the test fixture, reused).</summary>
public sealed class BenchStack : StackFixture, IAsyncDisposable
{
    public BenchStack()
    {
        Stream.Partitions = 8;
        Stream.MaxBytes = 2L << 30;
        Consumer.BatchSize = 1000;
        // The production AckWait, not the tests' 5 s: with that, a backlog drain on a busy 2-core machine
        // was seen stuck in redeliveries (events re-applied, the ack floor not moving for minutes).
        Consumer.AckWait = new Likes.Shared.Consuming.ConsumerOptions().AckWait;
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
}
