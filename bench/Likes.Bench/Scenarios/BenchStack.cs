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
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
}
