using Likes.Faults.Tests.Load;
using Likes.Faults.Tests.Scenarios;
using Likes.Faults.Tests.Stack;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests;

/// <summary>
/// A store that refuses for configuration reasons (a grant, an ACL) is an outage to wait out: writes are still
/// accepted, nothing is acked or dead-lettered meanwhile, and everything lands once the rights are back.
/// </summary>
[Collection(PrivateStackCollection.Name)]
public sealed class StoreRefusalTests(PrivateStack stack, ITestOutputHelper output)
{
    [Fact]
    public async Task GrantsRevokedAndGrantedBack_WritesAreAccepted_NothingIsDeadLettered_AndAllLand()
    {
        var lettersBefore = await DeadLettersAsync();
        var plan = new FaultPlan(14, "permissions revoked, granted back", "the persister's INSERT and DELETE on likes and the aggregator's Redis scripts revoked under load; granted back",
            c => c.Faults.RevokeGrantsAsync(),
            c => c.Faults.GrantBackAsync())
        {
            Hold = FaultSize.Current.LongHold,
            ExpectedRefusals = ["permission denied for table likes", "ACL: likes_aggregator"],
        };

        var run = await ScenarioRun.RunAsync(stack, plan, output);

        run.AssertInvariants();
        Assert.All(run.DuringFault(RequestKind.Write), w => Assert.Equal(202, w.Status));
        Assert.Equal(lettersBefore, await DeadLettersAsync());
    }

    private async Task<long> DeadLettersAsync()
    {
        await using var nats = stack.ConnectNats();
        return (await new NATS.Client.JetStream.NatsJSContext(nats).GetStreamAsync(new Likes.Shared.Configuration.StreamOptions().DeadLetterStreamName)).Info.State.Messages;
    }
}
