using Likes.Edge.Writes;
using Xunit;

namespace Likes.Edge.Tests;

/// <summary>The rule that keeps a 202 from naming an event the consumers will never see (pure logic, no server).</summary>
public sealed class StreamSequenceGuardTests
{
    [Fact]
    public void WithoutADisconnect_EveryAckIsTrusted_InAnyOrder()
    {
        var guard = new StreamSequenceGuard();

        Assert.True(guard.Trust(5));
        Assert.True(guard.Trust(9));
        Assert.True(guard.Trust(7));
    }

    [Fact]
    public void AfterADisconnect_AStreamThatKeptItsTail_IsTrustedAtItsFirstAck()
    {
        var guard = new StreamSequenceGuard();
        guard.Trust(100);

        guard.Disconnected();

        Assert.True(guard.Trust(101));
        Assert.True(guard.Trust(104));
    }

    [Fact]
    public void AfterADisconnect_SequencesHandedOutAgain_AreRefused_EvenWhenTheirAcksCompleteLate()
    {
        var guard = new StreamSequenceGuard();
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
        var guard = new StreamSequenceGuard();
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
        var guard = new StreamSequenceGuard();
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
        var guard = new StreamSequenceGuard();
        guard.Sending();
        guard.Trust(100, sent: guard.Sending());

        guard.Disconnected();

        Assert.True(guard.Trust(101));
    }

    [Fact]
    public void AnAckOfAnEarlierPublish_DoesNotConfirmOnesSentAfterIt()
    {
        var guard = new StreamSequenceGuard();
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
        var guard = new StreamSequenceGuard();
        guard.Trust(5_000);
        for (var i = 0; i < 3_000; i++)
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
        var guard = new StreamSequenceGuard();
        guard.Trust(100);
        guard.Disconnected();
        guard.Trust(250);

        guard.Disconnected();

        Assert.False(guard.Trust(200));
        Assert.True(guard.Trust(251));
    }

    [Fact]
    public void ATailLostFartherThanTenThousandSequences_IsStillRefused_OnTheSameEpoch()
    {
        var guard = new StreamSequenceGuard();
        guard.Observe(7);
        guard.Trust(583_724);

        guard.Disconnected();

        Assert.False(guard.Observe(7));
        Assert.False(guard.Trust(572_559));
        Assert.False(guard.Trust(1));
    }

    [Fact]
    public void ADisconnectBeforeAnyAck_RefusesNothing()
    {
        var guard = new StreamSequenceGuard();

        guard.Disconnected();

        Assert.True(guard.Trust(1));
    }

    [Fact]
    public void AStreamCreatedAnew_SeenByItsEpoch_IsTrusted_AndTheGuardStartsOverFromIt()
    {
        var guard = new StreamSequenceGuard();
        guard.Observe(1);
        guard.Trust(50_000);
        guard.Disconnected();
        Assert.False(guard.Trust(1));

        Assert.True(guard.Observe(2));
        Assert.True(guard.Trust(1));
        Assert.True(guard.Trust(2));

        guard.Disconnected();
        Assert.False(guard.Trust(2));
        Assert.True(guard.Trust(3));
    }

    [Fact]
    public void AStreamCreatedAnewWithoutADrop_DoesNotLeaveTheOldStreamsMarkBehind()
    {
        var guard = new StreamSequenceGuard();
        guard.Observe(1);
        guard.Trust(50_000);
        Assert.True(guard.Observe(2));
        guard.Trust(10);

        guard.Disconnected();

        Assert.False(guard.Trust(10));
        Assert.True(guard.Trust(11));
    }

    [Fact]
    public void TheGuardOff_TrustsEverything()
    {
        var guard = new StreamSequenceGuard(enabled: false);
        guard.Trust(100);
        guard.Disconnected();

        Assert.True(guard.Trust(100));
        Assert.True(guard.Trust(90, duplicate: true));
    }

    [Fact]
    public void ADuplicateOfAWriteFromBeforeTheDrop_IsTrusted_OnceANewAckShowsTheStreamKeptItsTail()
    {
        var guard = new StreamSequenceGuard();
        guard.Trust(100);
        guard.Disconnected();

        Assert.False(guard.Trust(90, duplicate: true));
        Assert.True(guard.Trust(101));
        Assert.True(guard.Trust(90, duplicate: true));
    }

    [Fact]
    public void AfterARestartThatLostItsTail_ADuplicateAtAReusedSequence_IsRefused_EvenOnceSequencesArePastTheMark()
    {
        var guard = new StreamSequenceGuard();
        guard.Trust(100);
        guard.Disconnected();

        Assert.False(guard.Trust(95));
        Assert.True(guard.Trust(101));

        // The retry of the write stored at 95 (refused above): the consumers never see 95.
        Assert.False(guard.Trust(95, duplicate: true));
        Assert.True(guard.Trust(101, duplicate: true));
    }

}
