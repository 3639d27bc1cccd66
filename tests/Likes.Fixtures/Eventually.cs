namespace Likes.Fixtures;

/// <summary>Waits on a condition against a real store instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what ?? "condition"} not met in time; last value: {value}");
            }

            await Task.Delay(25);
        }
    }

    public static Task UntilAsync(Func<Task<bool>> probe, TimeSpan? timeout = null, string? what = null)
        => UntilAsync(probe, ok => ok, timeout, what);
}
