using System.Globalization;
using Likes.Shared.Configuration;
using Likes.Shared.Events;
using Likes.Shared.Partitioning;
using NATS.Client.JetStream;

namespace Likes.Admin;

/// <summary>
/// <c>likes-admin delete-content &lt;id&gt;</c> (<c>./likes delete-content</c>): the content deletion event on the content's
/// partition, published once the stream acks it, the same event the edge's <c>DELETE /v1/contents/{id}</c> publishes.
/// </summary>
public static class ContentDeletion
{
    public static async Task<int> PublishAsync(INatsJSContext js, StreamOptions stream, string? id, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var contentId) || contentId <= 0)
        {
            error.WriteLine("usage: likes-admin delete-content <contentId> (a positive 64-bit integer)");
            return 2;
        }

        var now = DateTimeOffset.UtcNow;
        var e = new LikeEvent(Guid.CreateVersion7(now), 0, contentId, LikeAction.DeleteContent, now.ToUnixTimeMilliseconds());
        var subject = stream.EventSubject(Partitioner.PartitionOf(contentId, stream.Partitions));
        var ack = await js.PublishAsync(subject, LikeEventCodec.Encode(e), cancellationToken: cancellationToken);
        ack.EnsureSuccess();
        output.WriteLine($"delete-content: content {contentId} deleted (stream sequence {ack.Seq}); its likes are removed in the background");
        return 0;
    }
}
