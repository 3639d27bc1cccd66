namespace Likes.Shared.Consuming;

/// <summary>
/// The daemon's name as it appears in durable consumer names, dead-letter subjects and metric names
/// (<c>likes_{Name}_…</c>). Lower-case letters only.
/// </summary>
public sealed record WorkerIdentity(string Name)
{
    public string DurableName(int partition) => $"{Name}-p{partition}";
}
