using System.Globalization;
using Likes.Shared.Configuration;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using Prometheus;

namespace Likes.Shared.Reheating;

/// <summary>
/// Asks the reheater to rebuild a user's timeline from PostgreSQL. Fire-and-forget on core NATS: the
/// request is a hint (a lost one is asked again by the next cold read), and the message id <c>t:{user}</c>
/// lets the reheat stream's duplicate window fold a read storm into one load per user.
/// </summary>
public sealed class ReheatRequests(INatsConnection nats, IOptions<StreamOptions> stream)
{
    private readonly Counter _requested = Metrics.CreateCounter("likes_reheat_requests_total", "Timeline rebuilds requested, by requester.", "requester");

    /// <param name="requester">Who asks (a bounded metric label: edge, persister).</param>
    public async ValueTask RequestTimelineAsync(long userId, string requester, CancellationToken cancellationToken = default)
    {
        var user = userId.ToString(CultureInfo.InvariantCulture);
        var headers = new NatsHeaders { ["Nats-Msg-Id"] = "t:" + user };
        await nats.PublishAsync(stream.Value.ReheatSubject, user, headers, cancellationToken: cancellationToken);
        _requested.WithLabels(requester).Inc();
    }

    /// <summary>Parses a request's payload: the user id in decimal.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out long userId)
        => long.TryParse(System.Text.Encoding.ASCII.GetString(payload), NumberStyles.None, CultureInfo.InvariantCulture, out userId) && userId > 0;
}
