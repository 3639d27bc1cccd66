using System.Globalization;

namespace Likes.Fixtures;

/// <summary>
/// The usual private slice, with a redis-server of its own on a free loopback port (no persistence, no users):
/// for a test that pauses or stops Redis, which on the shared server would stall every other test running.
/// </summary>
public sealed class OwnRedisStack : StackFixture
{
    private readonly int _port = DaemonProcess.FreePort();
    private readonly string _directory;
    private ServerProcess? _server;

    public OwnRedisStack() => _directory = Path.Combine(Repository.Local, "own-redis", Id);

    public override string AdminRedis => $"127.0.0.1:{_port}";

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        _server = ServerProcess.Start("redis-server",
            ["--bind", "127.0.0.1", "--port", _port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no", "--dir", _directory],
            Path.Combine(_directory, "redis.log"));
        await _server.ListeningAsync(_port);
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        try
        {
            await base.DisposeAsync();
        }
        finally
        {
            if (_server is not null)
            {
                await _server.DisposeAsync();
            }

            Directory.Delete(_directory, recursive: true);
        }
    }
}
