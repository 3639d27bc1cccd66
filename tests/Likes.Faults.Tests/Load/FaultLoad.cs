using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Likes.Bench.Load;

namespace Likes.Faults.Tests.Load;

/// <summary>
/// A scenario's closed-loop load through the edge: likes, unlikes and feed-state reads by users of its own
/// id block on contents of its own id block (Zipf). Each user belongs to one client, so a user's writes are
/// sequential and the history of every (user, content) pair is in order. Every write goes into the
/// <see cref="History"/>, every answer into <see cref="Answers"/>.
/// </summary>
public sealed class FaultLoad(EdgeClient edge, FaultSize size, LoadShape shape, long idBase, History history, Answers answers, Stopwatch clock)
{
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);

    private readonly Zipf _zipf = new(size.Contents);

    public long FirstContent => idBase;

    public long LastContent => idBase + size.Contents - 1;

    /// <summary>Runs until <paramref name="stop"/> is cancelled.</summary>
    public Task<LoadResult> RunAsync(CancellationToken stop) => ClosedLoop.RunAsync(size.Clients, Forever, long.MaxValue, RequestAsync, cancellationToken: stop);

    private Task<int> RequestAsync(int client, Random random, CancellationToken ct)
    {
        var user = idBase + random.Next(size.Users / size.Clients) * size.Clients + client + 1;
        if (client < shape.Readers || random.NextDouble() < shape.ReadShare)
        {
            return ReadAsync(user, random, ct);
        }

        var content = idBase + _zipf.Next(random) - 1;
        var like = random.NextDouble() >= shape.UnlikeShare;
        var key = random.NextDouble() < shape.RetryShare ? Guid.NewGuid().ToString("N") : null;
        return WriteAsync(user, content, like, key, ct);
    }

    private async Task<int> WriteAsync(long user, long content, bool like, string? key, CancellationToken ct)
    {
        var status = await SendAsync(user, content, like, key, retry: false, ct);
        if (key is not null)
        {
            // The same request again, as a client whose answer got lost would send it: stored once.
            await SendAsync(user, content, like, key, retry: true, ct);
        }

        return status;
    }

    private async Task<int> SendAsync(long user, long content, bool like, string? key, bool retry, CancellationToken ct)
    {
        var at = clock.Elapsed;
        WriteAnswer answer;
        try
        {
            answer = await edge.WriteAsync(user, content, like, key, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or SocketException or OperationCanceledException)
        {
            // No answer: the write may or may not have happened, whoever gave up on it.
            Record(user, content, like, Outcome.Unknown, retry);
            if (ct.IsCancellationRequested)
            {
                throw;
            }

            answers.Add(new Answer(RequestKind.Write, at, clock.Elapsed - at, 0, false, null));
            return 0;
        }

        Record(user, content, like, answer.Status switch
        {
            202 => Outcome.Acknowledged,
            >= 400 and < 500 => Outcome.Refused,
            _ => Outcome.Unknown,
        }, retry);
        answers.Add(new Answer(RequestKind.Write, at, clock.Elapsed - at, answer.Status, false, answer.RetryAfter));
        return answer.Status;
    }

    private void Record(long user, long content, bool like, Outcome outcome, bool retry)
    {
        if (retry)
        {
            history.RecordRetry(user, content, outcome);
        }
        else
        {
            history.Record(user, content, like, outcome);
        }
    }

    private async Task<int> ReadAsync(long user, Random random, CancellationToken ct)
    {
        var ids = string.Join(',', Enumerable.Range(0, LoadShape.PageSize).Select(_ => (idBase + _zipf.Next(random) - 1).ToString(CultureInfo.InvariantCulture)));
        var at = clock.Elapsed;
        int status;
        var degraded = false;
        try
        {
            (status, var body) = await edge.GetAsync(user, "/v1/feed-state?ids=" + ids, ct);
            if (status == 200)
            {
                using var json = JsonDocument.Parse(body);
                degraded = json.RootElement.TryGetProperty("degraded", out var d) && d.GetBoolean();
            }
        }
        // A killed edge can fail a connection as it is set up, before HttpClient wraps the error: no answer all the same.
        catch (Exception ex) when (ex is HttpRequestException or SocketException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            status = 0;
        }

        answers.Add(new Answer(RequestKind.Read, at, clock.Elapsed - at, status, degraded, null));
        return status;
    }
}
