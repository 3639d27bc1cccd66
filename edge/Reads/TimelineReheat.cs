using Likes.Shared.Reheating;

namespace Likes.Edge.Reads;

/// <summary>
/// Asks the reheater to rebuild a timeline a read found missing. Fire-and-forget: the read never waits for
/// it or fails because of it (a lost request is asked again by the user's next read).
/// </summary>
public sealed partial class TimelineReheat(ReheatRequests requests, ILogger<TimelineReheat> log)
{
    public const string Requester = "edge";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public void Request(long userId) => _ = SendAsync(userId);

    private async Task SendAsync(long userId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await requests.RequestTimelineAsync(userId, Requester, timeout.Token);
        }
        catch (Exception ex)
        {
            RequestFailed(log, ex);
        }
    }

    [LoggerMessage(EventId = 303, Level = LogLevel.Debug, Message = "Could not ask for a timeline rebuild; the next read asks again")]
    private static partial void RequestFailed(ILogger logger, Exception exception);
}
