using Likes.Edge.Writes;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>The rule that keeps a 202 from naming an event the consumers will never see (pure logic, no server).</summary>
public sealed class StreamSequenceGuardTests
{
    private const long Window = 1_000;

    [Fact]
    public void WithoutADisconnect_EveryAckIsTrusted_InAnyOrder()
    {
        var guard = new StreamSequenceGuard(Window);

        Assert.True(guard.Trust(5));
        Assert.True(guard.Trust(9));
        Assert.True(guard.Trust(7));
    }

    [Fact]
    public void AfterADisconnect_AStreamThatKeptItsTail_IsTrustedAtItsFirstAck()
    {
        var guard = new StreamSequenceGuard(Window);
        guard.Trust(100);

        guard.Disconnected();

        Assert.True(guard.Trust(101));
        Assert.True(guard.Trust(104));
    }

    [Fact]
    public void AfterADisconnect_SequencesHandedOutAgain_AreRefused_EvenWhenTheirAcksCompleteLate()
    {
        var guard = new StreamSequenceGuard(Window);
        guard.Trust(100);
        guard.Trust(98);

        guard.Disconnected();

        Assert.False(guard.Trust(12));
        Assert.False(guard.Trust(100));
        Assert.True(guard.Trust(101));
        Assert.False(guard.Trust(99));
    }

    [Fact]
    public void AfterADisconnect_PublishesInFlightAtTheDrop_MayHaveBeenStoredAboveTheHighestAck_SoTheirSequencesAreRefusedToo()
    {
        var guard = new StreamSequenceGuard(Window);
        guard.Trust(100);
        // Three publishes sent, stored at 101..103 and applied; their acks went down with the connection.
        guard.Sending();
        guard.Sending();
        guard.Sending();

        guard.Disconnected();

        Assert.False(guard.Trust(51));
        Assert.False(guard.Trust(103));
        Assert.True(guard.Trust(104));
    }

    [Fact]
    public void AfterADisconnect_PublishesThatTimedOutBeforeTheDropWasSeen_AreCountedAsMaybeStored()
    {
        var guard = new StreamSequenceGuard(Window);
        guard.Trust(100);
        // Two publishes stored at 101 and 102; their acks lost, they time out before the client notices the drop.
        guard.Sending();
        guard.Sending();

        guard.Disconnected();

        Assert.False(guard.Trust(102));
        Assert.True(guard.Trust(103));
    }

    [Fact]
    public void PublishesSentBeforeALaterAck_AreCoveredByIt_AndWidenNothing()
    {
        var guard = new StreamSequenceGuard(Window);
        guard.Sending();
        guard.Trust(100, sent: guard.Sending());

        guard.Disconnected();

        Assert.True(guard.Trust(101));
    }

    [Fact]
    public void AnAckOfAnEarlierPublish_DoesNotConfirmOnesSentAfterIt()
    {
        var guard = new StreamSequenceGuard(Window);
        var first = guard.Sending();
        guard.Sending();
        guard.Sending();
        guard.Trust(100, sent: first);

        guard.Disconnected();

        Assert.False(guard.Trust(102));
        Assert.True(guard.Trust(103));
    }

    [Fact]
    public void ManyUnansweredPublishes_DoNotMakeAStreamThatLostItsTailLookRecreated()
    {
        var guard = new StreamSequenceGuard(Window);
        guard.Trust(5_000);
        for (var i = 0; i < 3 * Window; i++)
        {
            guard.Sending();
        }

        guard.Disconnected();

        Assert.False(guard.Trust(4_990));
        Assert.False(guard.Trust(5_001));
    }

    [Fact]
    public void ASecondDisconnect_MovesTheMarkToTheHighestSinceTheFirst()
    {
        var guard = new StreamSequenceGuard(Window);
        guard.Trust(100);
        guard.Disconnected();
        guard.Trust(250);

        guard.Disconnected();

        Assert.False(guard.Trust(200));
        Assert.True(guard.Trust(251));
    }

    [Fact]
    public void ADisconnectBeforeAnyAck_RefusesNothing()
    {
        var guard = new StreamSequenceGuard(Window);

        guard.Disconnected();

        Assert.True(guard.Trust(1));
    }

    [Fact]
    public void FarBelowTheMark_IsAStreamCreatedAnew_Trusted_AndTheGuardStartsOverFromIt()
    {
        var guard = new StreamSequenceGuard(Window);
        guard.Trust(50_000);
        guard.Disconnected();

        Assert.True(guard.Trust(1));
        Assert.True(guard.Trust(2));

        guard.Disconnected();
        Assert.False(guard.Trust(2));
        Assert.True(guard.Trust(3));
    }

    [Fact]
    public void AWindowOfZero_TrustsEverything()
    {
        var guard = new StreamSequenceGuard(0);
        guard.Trust(100);
        guard.Disconnected();

        Assert.True(guard.Trust(100));
    }
    [Fact]
    public void ADuplicateOfAWriteFromBeforeTheDrop_IsTrusted_OnceANewAckShowsTheStreamKeptItsTail()
    {
        var guard = new StreamSequenceGuard(Window);
        guard.Trust(100);
        guard.Disconnected();

        Assert.False(guard.Trust(90, duplicate: true));
        Assert.True(guard.Trust(101));
        Assert.True(guard.Trust(90, duplicate: true));
    }

    [Fact]
    public void AfterARestartThatLostItsTail_ADuplicateAtAReusedSequence_IsRefused_EvenOnceSequencesArePastTheMark()
    {
        var guard = new StreamSequenceGuard(Window);
        guard.Trust(100);
        guard.Disconnected();

        Assert.False(guard.Trust(95));
        Assert.True(guard.Trust(101));

        // The retry of the write stored at 95 (refused above): the consumers never see 95.
        Assert.False(guard.Trust(95, duplicate: true));
        Assert.True(guard.Trust(101, duplicate: true));
    }

    [Fact]
    public void ADuplicateFarBelowTheMark_OrWithTheCheckOff_IsTrusted()
    {
        var guard = new StreamSequenceGuard(Window);
        guard.Trust(50_000);
        guard.Disconnected();
        Assert.True(guard.Trust(10, duplicate: true));

        var off = new StreamSequenceGuard(0);
        off.Trust(100);
        off.Disconnected();
        off.Trust(50);
        Assert.True(off.Trust(90, duplicate: true));
    }
}
