using Likes.Fixtures;

namespace Likes.Edge.Tests;

/// <summary>A private slice of the real servers and one edge on a real Kestrel socket, for tests of what the HTTP parser sees.</summary>
public sealed class KestrelEdgeFixture : StackFixture
{
    public EdgeHost Host { get; private set; } = null!;

    public int Port { get; private set; }

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Host = EdgeHost.For(this);
        Port = Host.StartOnKestrel();
    }

    public override async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await base.DisposeAsync();
    }
}
