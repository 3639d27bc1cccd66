using Likes.Shared.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using Prometheus;

namespace Likes.Shared.Reheating;

/// <summary>
/// Asks the reheater to rebuild a user's Redis state from PostgreSQL. Fire-and-forget on core NATS: a
/// request is a hint (a lost one is asked again by the next cold read or write), never a reason to fail or
/// delay the read or batch that asks, and its message id (<see cref="ReheatRequest.MessageId"/>) lets the
/// reheat stream's duplicate window fold a storm of requests into one load per user.
/// </summary>
public sealed partial class ReheatRequests(INatsConnection nats, IOptions<StreamOptions> stream, ILogger<ReheatRequests> log)
{
    private readonly Counter _requested = Metrics.CreateCounter("likes_reheat_requests_total", "Timeline rebuilds requested, by requester.", "requester");

    /// <summary>The requester labels: who asked for a rebuild.</summary>
    public const string Edge = "edge";
    public const string Aggregator = "aggregator";
    public const string Persister = "persister";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <summary>Sends the request in the background; a failure is logged at debug level and dropped.</summary>
    /// <param name="requester">Who asks (a bounded metric label: edge, aggregator, persister).</param>
    public void Request(ReheatRequest request, string requester) => _ = SendQuietlyAsync(request, requester);

    public async ValueTask RequestAsync(ReheatRequest request, string requester, CancellationToken cancellationToken = default)
    {
        var headers = new NatsHeaders { ["Nats-Msg-Id"] = request.MessageId };
        await nats.PublishAsync(stream.Value.ReheatSubject, request.Payload, headers, cancellationToken: cancellationToken);
        _requested.WithLabels(requester).Inc();
    }

    private async Task SendQuietlyAsync(ReheatRequest request, string requester)
    {
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await RequestAsync(request, requester, timeout.Token);
        }
        catch (Exception ex)
        {
            RequestFailed(log, ex);
        }
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "Could not send a reheat request; the next cold read or write asks again")]
    private static partial void RequestFailed(ILogger logger, Exception exception);
}
