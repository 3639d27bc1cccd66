using System.Net;
using System.Text.Json;
using Likes.Fixtures;
using Xunit;

namespace Likes.Aggregator.Tests;

public class RedisUnavailableTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private static readonly Dictionary<string, string?> ClosedRedis = new()
    {
        ["Redis:Configuration"] = "127.0.0.1:1,abortConnect=false,connectTimeout=200",
    };

    [Fact]
    public async Task RedisDown_NotReadyButLive_AndTheEventStaysInTheStreamUntilRedisIsBack()
    {
        var publisher = new EventPublisher(fixture.JetStream, fixture.Stream);
        const long user = 701;
        var like = publisher.Like(user, 5);

        await using (var aggregator = await Aggregators.StartAsync(fixture, ClosedRedis))
        {
            using var http = new HttpClient { BaseAddress = aggregator.BaseAddress };
            await publisher.PublishAsync(like);

            // Ready fails on the Redis check at once, and on the consumer: it cannot read its position, let alone apply.
            await Eventually.UntilAsync(async () => await ConsumerCheckAsync(http), c => c == (HttpStatusCode.ServiceUnavailable, "Unhealthy"),
                TimeSpan.FromSeconds(30), "ready answers 503 with the consumer unhealthy");

            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz/live", UriKind.Relative))).StatusCode);
            Assert.True(await publisher.PendingAsync("aggregator") >= 1);
            Assert.Null(await new TimelineReader(fixture).ScoreAsync(user, 5));
        }

        await using (var recovered = await Aggregators.StartAsync(fixture))
        {
            await Aggregators.CaughtUpAsync(publisher);
            Assert.Equal([(5L, like.AcceptedAtMs)], await new TimelineReader(fixture).LikesAsync(user));
        }
    }

    private static async Task<(HttpStatusCode Status, string? Consumer)> ConsumerCheckAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var consumer = body.RootElement.GetProperty("checks").GetProperty("consumer");
        return (response.StatusCode, consumer.GetProperty("status").GetString());
    }
}
