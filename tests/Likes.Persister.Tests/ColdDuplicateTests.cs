using Dapper;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using Xunit;

namespace Likes.Persister.Tests;

/// <summary>A like whose row exists changes nothing in PostgreSQL; when Redis does not hold that relation, it asks for a rebuild.</summary>
public class ColdDuplicateTests(StackFixture stack) : IClassFixture<StackFixture>, IAsyncLifetime
{
    private const long Old = 1_700_000_000_000;
    private DaemonHost _persister = null!;
    private EventPublisher _events = null!;
    private TimelineStore _timelines = null!;

    public async Task InitializeAsync()
    {
        _persister = await DaemonHost.StartAsync("persister", b => b.AddPersister(), stack.Configuration());
        _events = new EventPublisher(stack.JetStream, stack.Stream);
        _timelines = new TimelineStore(stack.Redis, new RedisKeys(stack.KeyPrefix), Microsoft.Extensions.Options.Options.Create(new TimelineOptions { Size = 10 }));
    }

    public async Task DisposeAsync() => await _persister.DisposeAsync();

    private async Task LikedLongAgoAsync(long user, params long[] contents)
    {
        await using var c = await stack.Postgres.OpenConnectionAsync();
        await c.ExecuteAsync("INSERT INTO likes SELECT @user, c, to_timestamp(@at / 1000.0) FROM unnest(@contents) c", new { user, contents, at = Old });
    }

    /// <summary>Applies the batch and returns the reheat requests it caused, by user, collected until a quiet second has passed.</summary>
    private async Task<Dictionary<string, string>> RequestsAfterAsync(params Likes.Shared.Events.LikeEvent[] events)
    {
        await using var requests = await stack.Nats.SubscribeCoreAsync<string>(stack.Stream.ReheatSubject);
        await stack.Nats.PingAsync();
        await _persister.Services.GetRequiredService<IEventBatchHandler>().ApplyAsync(stack.Batches.Next(events), CancellationToken.None);

        var seen = new Dictionary<string, string>();
        using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await foreach (var request in requests.Msgs.ReadAllAsync(quiet.Token))
            {
                seen[request.Data!] = request.Headers?["Nats-Msg-Id"].ToString() ?? string.Empty;
            }
        }
        catch (OperationCanceledException)
        {
            // The quiet second is over.
        }

        return seen;
    }

    [Fact]
    public async Task ADuplicateLike_WithTheTimelineMissingOrPartial_AsksForOneRefreshPerUser()
    {
        const long missing = 301, partial = 302;
        await LikedLongAgoAsync(missing, 1, 2);
        await LikedLongAgoAsync(partial, 1);
        await _timelines.ReplaceAsync(partial, default, TimelineState.Partial, [(9, Old + 5)]);

        var requests = await RequestsAfterAsync(_events.Like(missing, 1), _events.Like(missing, 2), _events.Like(partial, 1));

        Assert.Equal(new Dictionary<string, string> { ["301 refresh"] = "r:301", ["302 refresh"] = "r:302" }, requests);
    }

    [Fact]
    public async Task ADuplicateLike_OlderThanATruncatedTimeline_IsCold_AmongItsNewestItIsHot()
    {
        const long cold = 311, hot = 312;
        await LikedLongAgoAsync(cold, 1);
        await LikedLongAgoAsync(hot, 1);
        await _timelines.ReplaceAsync(cold, default, TimelineState.Truncated, [(5, Old + 1000)]);
        await _timelines.ReplaceAsync(hot, default, TimelineState.Truncated, [(1, Old), (5, Old - 1000)]);

        var requests = await RequestsAfterAsync(_events.Like(cold, 1), _events.Like(hot, 1));

        Assert.Equal(["311 refresh"], requests.Keys);
    }

    [Fact]
    public async Task ADuplicateLike_WithACompleteTimeline_OrANewLike_AsksForNothing()
    {
        const long complete = 321, fresh = 322;
        await LikedLongAgoAsync(complete, 1);
        await _timelines.ReplaceAsync(complete, default, TimelineState.Complete, [(1, Old)]);

        var requests = await RequestsAfterAsync(_events.Like(complete, 1), _events.Like(fresh, 1));

        Assert.Empty(requests);
    }

    [Fact]
    public async Task ADuplicateLike_KeepsTheFirstLikesTime_AndMovesNoCount()
    {
        const long user = 331;
        await _persister.Services.GetRequiredService<IEventBatchHandler>().ApplyAsync(stack.Batches.Next(_events.Like(user, 77)), CancellationToken.None);
        await using var c = await stack.Postgres.OpenConnectionAsync();
        var before = await c.QuerySingleAsync<(DateTime, long, long)>(
            "SELECT l.created_at, k.like_count, k.version FROM likes l JOIN content_like_counts k USING (content_id) WHERE user_id = @user", new { user });

        await _persister.Services.GetRequiredService<IEventBatchHandler>().ApplyAsync(stack.Batches.Next(_events.Like(user, 77)), CancellationToken.None);

        Assert.Equal(before, await c.QuerySingleAsync<(DateTime, long, long)>(
            "SELECT l.created_at, k.like_count, k.version FROM likes l JOIN content_like_counts k USING (content_id) WHERE user_id = @user", new { user }));
    }
}
