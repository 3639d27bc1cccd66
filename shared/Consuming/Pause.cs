namespace Likes.Shared.Consuming;

/// <summary>A back-off wait that ends quietly when the daemon stops: the caller's loop ends on the token.</summary>
public static class Pause
{
    public static async Task ForAsync(TimeSpan delay, CancellationToken stopping, TimeProvider? clock = null)
    {
        try
        {
            await Task.Delay(delay, clock ?? TimeProvider.System, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
