using Likes.Admin.Access;
using StackExchange.Redis;
using Xunit;

namespace Likes.Security.Tests;

/// <summary>
/// Each daemon's Redis ACL user, written by <c>likes-admin access redis-acl</c>, is refused by a real
/// redis-server any command or key its daemon never uses, scripts included (Redis checks a script's
/// commands and keys against its caller). What the daemons do need is <see cref="LeastPrivilegeFleetTests"/>.
/// </summary>
[Collection(AuthStack.Collection)]
public sealed class RedisAclTests(AuthStack stack)
{
    /// <summary>(daemon, command, arguments) with {P} the key prefix.</summary>
    public static TheoryData<string, string, string[]> Refused => new()
    {
        { "edge", "ZADD", ["{P}t{1}", "1", "7"] },
        { "edge", "DEL", ["{P}counts:7"] },
        { "edge", "SET", ["other:counts:7", "1:1"] },
        { "edge", "EVAL", ["return redis.call('ZADD', KEYS[1], 1, 7)", "1", "{P}t{1}"] },
        { "edge", "FLUSHALL", [] },
        { "edge", "KEYS", ["*"] },
        { "edge", "CONFIG", ["GET", "*"] },
        { "edge", "ACL", ["SETUSER", "likes_edge", "+@all"] },
        { "edge", "PUBLISH", ["__Booksleeve_MasterChanged", "x"] },
        { "edge", "HDEL", ["{P}counts:7", "1"] },
        { "edge", "BITFIELD", ["{P}b{1}", "SET", "u1", "7", "1"] },
        { "aggregator", "GET", ["{P}counts:7"] },
        { "aggregator", "EVAL", ["return redis.call('SET', KEYS[1], '9:9')", "1", "{P}counts:7"] },
        { "aggregator", "DEL", ["{P}counts:7"] },
        { "aggregator", "FLUSHDB", [] },
        { "aggregator", "SET", ["{P}b{1}", "x"] },
        { "persister", "ZADD", ["{P}t{1}", "1", "7"] },
        { "persister", "DEL", ["{P}counts:7"] },
        { "persister", "SCAN", ["0"] },
        { "persister", "HDEL", ["{P}counts:7", "1"] },
        { "persister", "EVAL", ["return redis.call('ZADD', KEYS[1], 1, 7)", "1", "{P}t{1}"] },
        { "reheater", "SET", ["{P}counts:7", "9:9"] },
        { "reheater", "SET", ["{P}t{1}", "x"] },
        { "reheater", "ZADD", ["{P}r{1}", "1", "x"] },
        { "reheater", "EVAL", ["return redis.call('SET', KEYS[1], 'x')", "1", "{P}t{1}"] },
        { "reheater", "SETRANGE", ["{P}b{1}", "0", "x"] },
        { "reconciler", "ZADD", ["{P}t{1}", "1", "7"] },
        { "reconciler", "DEL", ["{P}counts:7"] },
        { "reconciler", "PEXPIRE", ["{P}counts:7", "1"] },
        { "reconciler", "SHUTDOWN", [] },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ADaemonsUser_IsRefusedWhatItsDaemonNeverDoes(string daemon, string command, string[] arguments)
    {
        // allowAdmin: the client would refuse admin commands itself; the server must be the one refusing.
        await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.RedisAs(Identity.Named(daemon)) + ",allowAdmin=true");
        var args = arguments.Select(a => (object)a.Replace("{P}", stack.KeyPrefix, StringComparison.Ordinal)).ToArray();

        var refused = await Assert.ThrowsAsync<RedisServerException>(() => redis.GetDatabase().ExecuteAsync(command, args));

        // A command is refused as NOPERM; a command inside an allowed script as the script's error.
        Assert.Matches("^(NOPERM|ERR The user executing the script can't)", refused.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(",user=likes_edge,password=not-the-password")]
    [InlineData(",user=default")]
    public async Task Anonymous_WrongPassword_AndTheDefaultUser_AreRefused(string credentials)
    {
        await Assert.ThrowsAsync<RedisConnectionException>(() => ConnectionMultiplexer.ConnectAsync($"{stack.RedisEndpoint}{credentials},connectTimeout=2000"));
    }
}
