using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Likes.Fixtures;

namespace Likes.Bench.Load;

/// <summary>
/// The edge's HTTP API as a load generator uses it: keep-alive connections, one token per user. Given several edges,
/// each user's requests go to one of them (user id modulo their number), as behind a load balancer with sticky sessions.
/// </summary>
public sealed class EdgeClient : IDisposable
{
    private readonly HttpClient[] _edges;
    private readonly string _key;
    private readonly ConcurrentDictionary<long, AuthenticationHeaderValue> _tokens = new();

    public EdgeClient(Uri edge, string jwtKey, int connections)
        : this([edge], jwtKey, connections)
    {
    }

    public EdgeClient(IReadOnlyList<Uri> edges, string jwtKey, int connections)
    {
        _key = jwtKey;
        _edges = [.. edges.Select(edge => new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            UseProxy = false,
        })
        {
            BaseAddress = edge,
            Timeout = TimeSpan.FromSeconds(10),
        })];
    }

    public async Task<int> LikeAsync(long user, long content, bool like, CancellationToken ct)
        => (await WriteAsync(user, content, like, idempotencyKey: null, ct)).Status;

    /// <summary>A like or unlike, optionally with an <c>Idempotency-Key</c>; the status and the <c>Retry-After</c> of a 429 or 503.</summary>
    public async Task<WriteAnswer> WriteAsync(long user, long content, bool like, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(like ? HttpMethod.Put : HttpMethod.Delete, $"/v1/likes/{content}");
        request.Headers.Authorization = Token(user);
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await EdgeOf(user).SendAsync(request, ct);
        return new WriteAnswer((int)response.StatusCode, response.Headers.RetryAfter?.Delta);
    }

    public async Task<(int Status, string Body)> GetAsync(long user, string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = Token(user);
        using var response = await EdgeOf(user).SendAsync(request, ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
    }

    private AuthenticationHeaderValue Token(long user)
        => _tokens.GetOrAdd(user, u => new AuthenticationHeaderValue("Bearer", Tokens.For(u.ToString(System.Globalization.CultureInfo.InvariantCulture), _key, DateTime.UtcNow.AddHours(2))));

    private HttpClient EdgeOf(long user) => _edges[(int)((ulong)user % (ulong)_edges.Length)];

    public void Dispose()
    {
        foreach (var edge in _edges)
        {
            edge.Dispose();
        }
    }
}

public readonly record struct WriteAnswer(int Status, TimeSpan? RetryAfter);
