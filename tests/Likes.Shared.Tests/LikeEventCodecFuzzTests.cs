using Likes.Fixtures;
using Likes.Shared.Events;
using Xunit;

namespace Likes.Shared.Tests;

/// <summary>
/// The decoder against seeded garbage (<see cref="PoisonEvents"/>): mutated events, random bytes, hostile
/// field values. Each input decodes to an event that keeps every rule, or is refused with a reason; nothing
/// ever throws, so a consumer can always dead-letter what it cannot read.
/// </summary>
public class LikeEventCodecFuzzTests
{
    private const int Seed = 20261124;

    private const int Inputs = 50_000;

    [Fact]
    public void Garbage_DecodesToAValidEventOrAReason_AndNeverThrows()
    {
        var poison = new PoisonEvents(Seed);
        var (decoded, refused) = (0, 0);
        for (var i = 0; i < Inputs; i++)
        {
            var bytes = poison.Next();
            bool ok;
            LikeEvent e;
            string reason;
            try
            {
                ok = LikeEventCodec.TryDecode(bytes, out e, out reason);
            }
            catch (Exception ex)
            {
                Assert.Fail($"seed {Seed} input #{i} ({Convert.ToBase64String(bytes)}) threw {ex.GetType().Name}: {ex.Message}");
                return;
            }

            if (ok)
            {
                decoded++;
                Assert.True(e.UserId > 0 && e.ContentId > 0 && e.AcceptedAtMs > 0 && Enum.IsDefined(e.Action), $"input #{i} decoded to {e}");
            }
            else
            {
                refused++;
                Assert.False(string.IsNullOrWhiteSpace(reason), $"input #{i} was refused without a reason");
            }
        }

        // Both outcomes are exercised: some mutations leave a valid event, most do not.
        Assert.True(decoded > 0 && refused > Inputs / 2, $"{decoded} decoded, {refused} refused");
    }
}
