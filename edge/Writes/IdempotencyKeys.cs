using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Likes.Edge.Ids;
using Likes.Shared.Configuration;
using Likes.Shared.Events;
using Microsoft.Extensions.Options;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Likes.Edge.Writes;

/// <summary>
/// Which write each Idempotency-Key of a user was first sent with, in a JetStream key-value bucket: the first
/// request with a key claims it for its write (create: only if absent), a retry of the same write finds its own
/// claim, and the same key sent with another content or action is told so (422) before anything is published.
/// Claims live a little longer than the stream's duplicate window, inside which the event itself is deduplicated.
/// </summary>
public sealed class IdempotencyKeys(INatsJSContext js, IOptions<StreamOptions> stream)
{
    /// <summary>Opened on first use (a stream info request); two first uses at once both open it, harmlessly.</summary>
    private INatsKVStore? _bucket;

    public enum Claim
    {
        /// <summary>The key is this write's: first sent now, or sent before with this same write.</summary>
        Ours,

        /// <summary>The key was sent with another write.</summary>
        OtherWrite,
    }

    public async Task<Claim> ClaimAsync(long userId, string key, long contentId, LikeAction action, CancellationToken cancellationToken)
    {
        var bucket = await BucketAsync(cancellationToken);
        var entry = EntryKey(userId, key);
        var write = Write(contentId, action);
        // Revision 0: written only if the key has no entry yet. One round trip for a first use, two for a retry.
        var created = await bucket.TryUpdateAsync(entry, write, revision: 0, cancellationToken: cancellationToken);
        if (created.Success)
        {
            return Claim.Ours;
        }

        if (created.Error is not NatsKVWrongLastRevisionException)
        {
            throw created.Error;
        }

        var existing = await bucket.GetEntryAsync<string>(entry, cancellationToken: cancellationToken);
        return existing.Value == write ? Claim.Ours : Claim.OtherWrite;
    }

    /// <summary>A key-value key: the user, then a hash of the key (any visible ASCII, which subjects cannot all carry).</summary>
    private static string EntryKey(long userId, string key)
        => PositiveId.Format(userId) + "." + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(key)).AsSpan(0, 16));

    private static string Write(long contentId, LikeAction action)
        => string.Create(CultureInfo.InvariantCulture, $"{contentId}:{(action == LikeAction.Like ? 'L' : 'U')}");

    private async Task<INatsKVStore> BucketAsync(CancellationToken cancellationToken)
        => _bucket ??= await new NatsKVContext(js).GetStoreAsync(stream.Value.IdempotencyBucket, cancellationToken);
}
