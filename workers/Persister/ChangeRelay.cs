using Likes.Shared.Changes;
using Likes.Shared.Configuration;
using Microsoft.Extensions.Options;
using NATS.Client.JetStream;
using Npgsql;
using NpgsqlTypes;

namespace Likes.Persister;

/// <summary>
/// Publishes the change outbox to the change stream: the oldest rows in change-id order, each with its change id as the
/// message id, then deletes them, in one transaction. A crash between publish and delete publishes them again, which
/// the stream's duplicate window drops (at least once beyond it). One relay at a time across replicas (an advisory
/// lock), so changes go out in the order their rows were written, and a user's changes (one partition, applied one
/// batch after another) in the order they happened. Nothing on the write path waits for it.
/// </summary>
public sealed partial class ChangeRelay(
    NpgsqlDataSource postgres,
    INatsJSContext js,
    IOptions<StreamOptions> stream,
    IOptions<PersisterOptions> options,
    PersisterMetrics metrics,
    ILogger<ChangeRelay> logger) : BackgroundService
{
    // Any constant the other advisory locks of the schema do not use: "likes.changes" as ASCII.
    private const long RelayLock = 0x6c696b65732e6368;

    private const string TakeSql = """
        SELECT change_id, kind, user_id, content_id, like_count, version, changed_at
        FROM change_outbox ORDER BY change_id LIMIT @limit
        """;

    private const string LockSql = "SELECT pg_try_advisory_xact_lock(@lock)";

    private const string DoneSql = "DELETE FROM change_outbox WHERE change_id = ANY(@ids)";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await RelayAsync(o.ChangeRelayBatch, stoppingToken) < o.ChangeRelayBatch)
                {
                    await Task.Delay(o.ChangeRelayInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // PostgreSQL or NATS unavailable: the rows stay in the outbox until both answer again.
                metrics.ChangeRelayFailed();
                RelayFailed(logger, ex);
                await Task.Delay(o.ChangeRelayInterval * 10, stoppingToken);
            }
        }
    }

    /// <summary>Publishes and deletes up to <paramref name="limit"/> of the oldest changes; how many.</summary>
    private async Task<int> RelayAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await postgres.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var relayLock = new NpgsqlCommand(LockSql, connection, transaction))
        {
            relayLock.Parameters.Add(new NpgsqlParameter<long>("lock", RelayLock));
            if (!(bool)(await relayLock.ExecuteScalarAsync(cancellationToken))!)
            {
                return 0;
            }
        }

        var changes = new List<ContentChange>(limit);
        await using (var take = new NpgsqlCommand(TakeSql, connection, transaction))
        {
            take.Parameters.Add(new NpgsqlParameter<int>("limit", limit));
            await using var reader = await take.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                changes.Add(new ContentChange(
                    reader.GetInt64(0), ContentChangeCodec.FromLetter(reader.GetChar(1)), reader.GetInt64(2), reader.GetInt64(3),
                    reader.GetInt64(4), reader.GetInt64(5), reader.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        if (changes.Count == 0)
        {
            return 0;
        }

        // Sent in order on one connection, acked together: the stream stores them in the order sent.
        var subject = stream.Value.ChangeSubject;
        var acks = changes.Select(c => js.PublishAsync(subject, ContentChangeCodec.Encode(c), opts: new NatsJSPubOpts { MsgId = c.ChangeId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken: cancellationToken).AsTask()).ToList();
        foreach (var ack in await Task.WhenAll(acks))
        {
            if (!ack.Duplicate)
            {
                ack.EnsureSuccess();
            }
        }

        await using (var done = new NpgsqlCommand(DoneSql, connection, transaction))
        {
            done.Parameters.Add(new NpgsqlParameter<long[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. changes.Select(c => c.ChangeId)] });
            await done.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        metrics.ChangesPublished(changes.Count);
        return changes.Count;
    }

    [LoggerMessage(EventId = 230, Level = LogLevel.Warning, Message = "Could not relay the change outbox to the change stream; retrying (the changes stay in the outbox)")]
    private static partial void RelayFailed(ILogger logger, Exception exception);
}
