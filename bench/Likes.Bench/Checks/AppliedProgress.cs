using System.Globalization;
using Likes.Shared;
using Likes.Shared.Configuration;
using Likes.Shared.Consuming;
using Likes.Shared.Streams;
using NATS.Client.JetStream;
using Npgsql;
using StackExchange.Redis;

namespace Likes.Bench.Checks;

/// <summary>
/// How far the workers applied each partition, read from their own records (the persister's stream_positions, the
/// aggregator's positions in Redis), against the partition's last event the stream still holds. Not the server's
/// consumer state: that has been seen to say "nothing pending" while events were never delivered.
/// </summary>
public sealed class AppliedProgress(INatsJSContext js, StreamOptions stream, NpgsqlDataSource postgres, IConnectionMultiplexer redis, RedisKeys keys)
{
    private const string Aggregator = "aggregator";
    private const string Persister = "persister";

    /// <summary>The stream's last sequence, and one line per partition some worker has not applied to its last event.</summary>
    public async Task<(ulong LastSequence, IReadOnlyList<string> Behind)> ReadAsync(CancellationToken ct)
    {
        var info = (await js.GetStreamAsync(stream.Name, cancellationToken: ct)).Info;
        var epoch = StreamEpoch.Of(info);
        var persisted = await PersisterAsync(ct);
        var db = redis.GetDatabase();
        var behind = new List<string>();
        for (var p = 0; p < stream.Partitions; p++)
        {
            if (await new PartitionStream(js, stream, p).LastAsync(ct) is not { } last)
            {
                continue;
            }

            var aggregated = Parse(await db.StringGetAsync(keys.Applied(Aggregator, p))).In(epoch);
            var persister = persisted.GetValueOrDefault(p).In(epoch);
            if (aggregated < last.Sequence || persister < last.Sequence)
            {
                behind.Add(string.Create(CultureInfo.InvariantCulture, $"partition {p}: last event {last.Sequence}, aggregator at {aggregated}, persister at {persister}"));
            }
        }

        return (info.State.LastSeq, behind);
    }

    private async Task<Dictionary<int, EventPosition>> PersisterAsync(CancellationToken ct)
    {
        await using var command = postgres.CreateCommand("SELECT partition, epoch, sequence FROM stream_positions WHERE consumer = @consumer");
        command.Parameters.AddWithValue("consumer", Persister);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var positions = new Dictionary<int, EventPosition>();
        while (await reader.ReadAsync(ct))
        {
            positions[reader.GetInt32(0)] = new EventPosition(reader.GetInt64(1), (ulong)reader.GetInt64(2));
        }

        return positions;
    }

    private static EventPosition Parse(RedisValue value)
    {
        var text = (string?)value;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 && long.TryParse(text.AsSpan(0, colon), CultureInfo.InvariantCulture, out var e) && ulong.TryParse(text.AsSpan(colon + 1), CultureInfo.InvariantCulture, out var s)
            ? new EventPosition(e, s)
            : default;
    }
}
