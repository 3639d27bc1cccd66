using StackExchange.Redis;

namespace Likes.Bench.Memory;

/// <summary>A connection that may send INFO and MEMORY (admin commands to StackExchange.Redis): the bench measures Redis.</summary>
public static class AdminRedis
{
    public static async Task<ConnectionMultiplexer> ConnectAsync(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AllowAdmin = true;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }
}
