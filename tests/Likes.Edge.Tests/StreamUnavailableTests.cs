using System.Diagnostics;
using System.Net;
using Likes.Fixtures;
using Likes.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>When the stream cannot make a write durable, the edge says so at once: 503, Retry-After, nothing written.</summary>
public sealed class StreamUnavailableTests(StackFixture stack) : IClassFixture<StackFixture>
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMilliseconds(500);

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Write_WhenNatsIsUnreachable_Is503WithRetryAfterWithinThePublishTimeout(string method)
    {
        await using var host = UnreachableNatsHost();
        using var client = host.CreateClient();
        await client.GetAsync("/healthz/live");
        var events = new EventStream(stack);
        var before = await events.PositionAsync();

        var clock = Stopwatch.StartNew();
        var response = await client.WriteAsync(new HttpMethod(method), "42", Tokens.For(Users.Next()), "key-1");
        clock.Stop();

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("events stream unavailable", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, ProblemAssert.RetryAfterSeconds(response));
        Assert.InRange(clock.Elapsed, PublishTimeout * 0.8, PublishTimeout + TimeSpan.FromSeconds(1.5));
        await events.AssertUnchangedAsync(before);
    }

    [Fact]
    public async Task Readiness_WhenNatsIsUnreachable_StaysReadyAndReportsTheDependencyDown()
    {
        await using var host = UnreachableNatsHost();
        using var client = host.CreateClient();

        var ready = await client.GetAsync("/healthz/ready");
        var dependencies = await host.Services.GetRequiredService<HealthCheckService>()
            .CheckHealthAsync(r => r.Tags.Contains(ServiceDefaults.DependencyTag));

        // Reads still work and writes answer 503 themselves: the pod stays in the Service.
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HealthStatus.Unhealthy, dependencies.Entries["nats"].Status);
    }

    private EdgeHost UnreachableNatsHost() => EdgeHost.For(
        stack,
        ("Nats:Url", "nats://127.0.0.1:1"),
        ("Edge:PublishTimeout", PublishTimeout.ToString()));
}
