using System.Net.Sockets;
using Likes.Shared.Consuming;
using Npgsql;
using StackExchange.Redis;
using Xunit;

namespace Likes.Shared.Tests;

/// <summary>
/// What the consumer loop does with a failure: a store refusing for configuration reasons is an outage like a store
/// that is down (waited out, never a dead letter); only what can be pinned on the events is blamed on them.
/// </summary>
public sealed class StoreFailureTests
{
    [Theory]
    [InlineData("28P01")] // invalid password
    [InlineData("42501")] // insufficient privilege (a grant missing)
    [InlineData("42703")] // undefined column (a deploy before its migration)
    [InlineData("42P01")] // undefined table
    [InlineData("25006")] // read-only transaction (connected to a standby)
    [InlineData("3D000")] // database does not exist
    public void PostgresRefusingForConfiguration_IsRefused(string sqlState)
        => Assert.Equal(FailureKind.Refused, StoreFailure.Of(Postgres(sqlState)));

    [Theory]
    [InlineData("57P01")] // admin shutdown
    [InlineData("53300")] // too many connections
    [InlineData("40P01")] // deadlock
    [InlineData("08006")] // connection failure
    public void PostgresGoingAway_IsUnavailable(string sqlState)
        => Assert.Equal(FailureKind.Unavailable, StoreFailure.Of(Postgres(sqlState)));

    [Theory]
    [InlineData("22008")] // a datetime out of range
    [InlineData("23505")] // a unique violation
    public void PostgresRefusingTheData_IsTheEvents(string sqlState)
        => Assert.Equal(FailureKind.Event, StoreFailure.Of(Postgres(sqlState)));

    [Theory]
    [InlineData(RedisErrorKind.NoPermission)]
    [InlineData(RedisErrorKind.ReadOnly)]
    [InlineData(RedisErrorKind.WrongPass)]
    [InlineData(RedisErrorKind.NoAuth)]
    [InlineData(RedisErrorKind.UnknownError)] // a script that fails: the deploy's fault, not an event's
    public void RedisRefusing_IsRefused(RedisErrorKind kind)
        => Assert.Equal(FailureKind.Refused, StoreFailure.Of(new RedisServerException(kind, CommandFlags.None, kind.ToString())));

    [Theory]
    [InlineData(RedisErrorKind.Loading)]
    [InlineData(RedisErrorKind.OutOfMemory)]
    [InlineData(RedisErrorKind.ClusterDown)]
    [InlineData(RedisErrorKind.TryAgain)]
    [InlineData(RedisErrorKind.MasterDown)]
    public void RedisBusyOrDown_IsUnavailable(RedisErrorKind kind)
        => Assert.Equal(FailureKind.Unavailable, StoreFailure.Of(new RedisServerException(kind, CommandFlags.None, kind.ToString())));

    [Fact]
    public void ConnectionsAndTimeouts_AreUnavailable_AlsoWrapped()
    {
        Assert.Equal(FailureKind.Unavailable, StoreFailure.Of(new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "down")));
        Assert.Equal(FailureKind.Unavailable, StoreFailure.Of(new TimeoutException()));
        Assert.Equal(FailureKind.Unavailable, StoreFailure.Of(new NpgsqlException("broken", new SocketException())));
        Assert.Equal(FailureKind.Refused, StoreFailure.Of(new InvalidOperationException("wrapped", Postgres("42501"))));
        Assert.Equal(FailureKind.Unavailable, StoreFailure.Of(new AggregateException(new InvalidOperationException(), new TimeoutException())));
    }

    [Fact]
    public void AFailureOfNoStore_IsTheEvents()
        => Assert.Equal(FailureKind.Event, StoreFailure.Of(new FormatException("bad value")));

    private static PostgresException Postgres(string sqlState) => new("message", "ERROR", "ERROR", sqlState);
}
