using Dapper;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Consuming;
using Likes.Shared.Events;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.JetStream;
using Xunit;

namespace Likes.Persister.Tests;

public class PersisterTests(StackFixture stack) : IClassFixture<StackFixture>, IAsyncLifetime
{
    private DaemonHost _persister = null!;
    private EventPublisher _events = null!;
    private RedisKeys _keys = null!;

    public async Task InitializeAsync()
    {
        _persister = await DaemonHost.StartAsync("persister", b => b.AddPersister(), stack.Configuration());
        _events = new EventPublisher(stack.JetStream, stack.Stream);
        _keys = new RedisKeys(stack.KeyPrefix);
    }

    public async Task DisposeAsync() => await _persister.DisposeAsync();

    private Task CaughtUpAsync() => Eventually.UntilAsync(async () => await _events.PendingAsync("persister") == 0, what: "persister caught up");

    [Fact]
    public async Task AnyMixOfLikesUnlikesAndDuplicates_EndsWithTheLastActionPerPair_AndExactCounts()
    {
        var random = new Random(7);
        var model = new HashSet<(long, long)>();
        var events = new List<LikeEvent>();
        for (var i = 0; i < 3000; i++)
        {
            long user = 1000 + random.Next(40), content = 5000 + random.Next(15);
            var e = random.Next(3) == 0 ? _events.Unlike(user, content) : _events.Like(user, content);
            events.Add(e);
            if (e.Action == LikeAction.Like)
            {
                model.Add((user, content));
            }
            else
            {
                model.Remove((user, content));
            }
        }

        await _events.PublishAsync(events);
        await CaughtUpAsync();

        Assert.Equal(model, (await TruthQueries.LikedPairsAsync(stack.Postgres)).Where(p => p.Item2 is >= 5000 and < 5015).ToHashSet());  // I1
        Assert.Equal(0, await TruthQueries.CountDriftAsync(stack.Postgres));      // I2
        foreach (var content in model.Select(p => p.Item2).Distinct())
        {
            var counter = await Eventually.UntilAsync(
                () => TruthQueries.RedisCounterAsync(stack.Redis, _keys, content),
                v => v?.Count == model.Count(p => p.Item2 == content),
                what: $"redis counter of {content}");
            Assert.Equal(await TruthQueries.StoredCountAsync(stack.Postgres, content), counter!.Value.Count);  // I3
        }
    }

    [Fact]
    public async Task ReplayingACommittedBatch_IsRefused_AndChangesNothing()
    {
        var handler = _persister.Services.GetRequiredService<IEventBatchHandler>();
        var batch = stack.Batches.Next(
            _events.Like(1, 900), _events.Like(2, 900), _events.Like(3, 900),
            _events.Unlike(2, 900), _events.Like(1, 901));

        await handler.ApplyAsync(batch, CancellationToken.None);
        var pairs = await TruthQueries.LikedPairsAsync(stack.Postgres);
        var count = await TruthQueries.StoredCountAsync(stack.Postgres, 900);
        var counter = await TruthQueries.RedisCounterAsync(stack.Redis, _keys, 900);

        // The same batch again, from where the loop stood before it: what a replica that lost its lease mid-batch does.
        // The loop itself never hands it over (its position says applied); the store refuses it all the same (I4).
        var replay = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => handler.ApplyAsync(batch, CancellationToken.None));

        Assert.Equal(StoreFailure.FencedSqlState, replay.SqlState);
        Assert.Equal(2, count);
        Assert.Equal(pairs, await TruthQueries.LikedPairsAsync(stack.Postgres));
        Assert.Equal(count, await TruthQueries.StoredCountAsync(stack.Postgres, 900));
        Assert.Equal(counter, await TruthQueries.RedisCounterAsync(stack.Redis, _keys, 900));
    }

    [Fact]
    public async Task LikeTimes_AreTheFirstLikeSinceTheLastUnlike_AsIfAppliedOneByOne()
    {
        var handler = _persister.Services.GetRequiredService<IEventBatchHandler>();
        var first = _events.Like(21, 970);
        var repeated = _events.Like(21, 970);
        await handler.ApplyAsync(stack.Batches.Next(first, repeated), CancellationToken.None);
        Assert.Equal(first.AcceptedAtMs, await LikedAtAsync(21, 970));

        var unlike = _events.Unlike(21, 970);
        var relike = _events.Like(21, 970);
        var again = _events.Like(21, 970);
        await handler.ApplyAsync(stack.Batches.Next(unlike, relike, again), CancellationToken.None);

        Assert.Equal(relike.AcceptedAtMs, await LikedAtAsync(21, 970));
        Assert.Equal(1, await TruthQueries.StoredCountAsync(stack.Postgres, 970));
        Assert.Equal(0, await TruthQueries.CountDriftAsync(stack.Postgres));
    }

    private async Task<long> LikedAtAsync(long user, long content)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        return await c.ExecuteScalarAsync<long>(
            "SELECT (extract(epoch FROM created_at) * 1000)::bigint FROM likes WHERE user_id = @user AND content_id = @content", new { user, content });
    }

    [Fact]
    public async Task ACounterWriteNeverMovesRedisBackwards()
    {
        var store = _persister.Services.GetRequiredService<CounterStore>();
        await store.SetIfNewerAsync([new(960, new CounterValue(5, 9))]);
        var written = await store.SetIfNewerAsync([new(960, new CounterValue(3, 8))]);

        Assert.Equal(0, written);
        Assert.Equal(new CounterValue(5, 9), await TruthQueries.RedisCounterAsync(stack.Redis, _keys, 960));
    }

    [Fact]
    public async Task APoisonMessage_IsDeadLetteredWithItsReason_AndTheLikesAfterItArePersisted()
    {
        const long user = 77, content = 7700;
        var partition = Likes.Shared.Partitioning.Partitioner.PartitionOf(user, stack.Stream.Partitions);
        await _events.PublishRawAsync(partition, "definitely not an event"u8.ToArray());
        await _events.PublishAsync(_events.Like(user, content));
        await _events.PublishAsync(_events.Like(user + 1, content));

        await Eventually.UntilAsync(async () => await TruthQueries.RowsAsync(stack.Postgres, content) == 2, what: "likes after the poison persisted");
        var letter = await ReadDeadLetterAsync();
        Assert.Equal("definitely not an event", System.Text.Encoding.UTF8.GetString(letter.Data!));
        Assert.Contains("malformed json", letter.Headers![DeadLetters.ReasonHeader].ToString(), StringComparison.Ordinal);
        Assert.Equal("persister", letter.Headers[DeadLetters.WorkerHeader].ToString());
    }

    private async Task<INatsJSMsg<byte[]>> ReadDeadLetterAsync()
    {
        var consumer = await stack.JetStream.CreateOrderedConsumerAsync(stack.Stream.DeadLetterStreamName,
            new NatsJSOrderedConsumerOpts { FilterSubjects = [stack.Stream.DeadLetterSubject("persister")] });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await foreach (var msg in consumer.ConsumeAsync<byte[]>(cancellationToken: timeout.Token))
        {
            return msg;
        }

        throw new TimeoutException("no dead letter");
    }
}
