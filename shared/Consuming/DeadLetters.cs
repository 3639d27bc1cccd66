using Likes.Shared.Configuration;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Likes.Shared.Consuming;

/// <summary>Publishes a message a worker cannot apply to <c>{prefix}.dlq.{worker}</c>, durably, with why.</summary>
public sealed class DeadLetters(INatsJSContext js, IOptions<StreamOptions> stream, WorkerIdentity worker, ConsumerMetrics metrics)
{
    public const string ReasonHeader = "Likes-Dlq-Reason";
    public const string SourceSubjectHeader = "Likes-Dlq-Subject";
    public const string SourceSequenceHeader = "Likes-Dlq-Sequence";
    public const string WorkerHeader = "Likes-Dlq-Worker";

    public async Task PublishAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        var headers = new NatsHeaders
        {
            [ReasonHeader] = HeaderValue(letter.Reason),
            [SourceSubjectHeader] = letter.Subject,
            [SourceSequenceHeader] = letter.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [WorkerHeader] = worker.Name,
        };
        var ack = await js.PublishAsync(
            stream.Value.DeadLetterSubject(worker.Name),
            letter.Payload,
            headers: headers,
            opts: new NatsJSPubOpts { MsgId = $"{worker.Name}:{letter.Sequence}" },
            cancellationToken: cancellationToken);
        ack.EnsureSuccess();
        metrics.DeadLettered(letter.Kind);
    }

    /// <summary>
    /// A reason quotes what it refused (an unknown action, an error message): as a header value it must be one
    /// line, or the publish itself fails and the partition would stall on the letter it cannot set aside.
    /// </summary>
    private static string HeaderValue(string reason)
    {
        const int MaxLength = 1024;
        var line = string.Create(Math.Min(reason.Length, MaxLength), reason, static (span, text) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? ' ' : text[i];
            }
        });
        return line.Length == 0 ? "unknown" : line;
    }
}

/// <summary>A message set aside: its bytes as received, where it came from, and why.</summary>
/// <param name="Kind">Bounded: <c>undecodable</c> or <c>rejected</c>; the metric label.</param>
public sealed record DeadLetter(byte[] Payload, string Subject, ulong Sequence, string Kind, string Reason);
