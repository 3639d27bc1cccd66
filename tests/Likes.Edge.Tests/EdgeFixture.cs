using Likes.Fixtures;

namespace Likes.Edge.Tests;

/// <summary>A private stream on the real NATS plus one edge in Development publishing to it, shared by a test class.</summary>
public class EdgeFixture : StackFixture
{
    public EdgeHost Host { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>Whether the edge listens on a real socket (for clients outside the process), its client included.</summary>
    protected virtual bool ServesOnKestrel => false;

    public EventStream Events => new(this);

    public ReadStore Store => new(this);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Host = EdgeHost.For(this);
        if (ServesOnKestrel)
        {
            Host.StartOnKestrel();
        }

        Client = Host.CreateClient();
    }

    public override async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        await base.DisposeAsync();
    }
}
