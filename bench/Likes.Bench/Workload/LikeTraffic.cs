using System.Collections.Concurrent;
using Likes.Bench.Load;

namespace Likes.Bench.Workload;

/// <summary>
/// Likes and unlikes through the edge on ids of this run's own (a content range and a user range no
/// earlier run used, so the exactness check sees only this run). Each user belongs to one client, so a
/// user's writes are sequential and "the last accepted action" per pair is well defined; contents are
/// chosen by Zipf popularity. Remembers every accepted write: the last action per pair for the exactness
/// check, and the order of acceptance for replaying the same events elsewhere.
/// </summary>
public sealed class LikeTraffic
{
    private readonly EdgeClient _edge;
    private readonly TrafficShape _shape;
    private readonly Zipf _popularity;

    public LikeTraffic(EdgeClient edge, TrafficShape shape)
    {
        _edge = edge;
        _shape = shape;
        _popularity = new Zipf(shape.Contents);
        // Seconds since the epoch, scaled past any range an earlier run took; ids stay far below 2^63.
        FirstContent = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 100_000;
        FirstUser = FirstContent;
    }

    public long FirstContent { get; }

    public long FirstUser { get; }

    /// <summary>The last content id of the range; the ids past it are free for a scenario's own (a burst's).</summary>
    public long LastContent => FirstContent + _shape.Contents - 1;

    /// <summary>The first user id past the population, free for users of a scenario's own (a burst's).</summary>
    public long NextFreeUser => FirstUser + _shape.Users;

    public ConcurrentDictionary<(long User, long Content), bool> Accepted { get; } = new();

    public ConcurrentQueue<(long User, long Content, bool Like)> AcceptedOrder { get; } = new();

    public EdgeClient Edge => _edge;

    /// <summary>A user of client <paramref name="client"/>'s share of the population.</summary>
    public long UserOf(int client, Random random)
        => FirstUser + random.Next(_shape.Users / _shape.Clients) * (long)_shape.Clients + client;

    public long PopularContent(Random random) => FirstContent + _popularity.Next(random) - 1;

    /// <summary>One write of client <paramref name="client"/>: a like, or an unlike with the shape's share.</summary>
    public Task<int> WriteAsync(int client, Random random, CancellationToken ct)
        => WriteAsync(UserOf(client, random), PopularContent(random), random.NextDouble() >= _shape.UnlikeShare, ct);

    public async Task<int> WriteAsync(long user, long content, bool like, CancellationToken ct)
    {
        var status = await _edge.LikeAsync(user, content, like, ct);
        if (status == 202)
        {
            Accepted[(user, content)] = like;
            AcceptedOrder.Enqueue((user, content, like));
        }

        return status;
    }
}

/// <param name="Clients">Closed-loop clients; the users are split evenly between them.</param>
public sealed record TrafficShape(int Users, int Contents, int Clients, double UnlikeShare);
