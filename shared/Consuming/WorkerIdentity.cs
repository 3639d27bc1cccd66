namespace Likes.Shared.Consuming;

/// <summary>
/// The daemon's name as it appears in durable consumer names, dead-letter subjects and the <c>worker</c> label of
/// the consumer metrics. Lower-case letters only.
/// </summary>
public sealed record WorkerIdentity(string Name)
{
    public string DurableName(int partition) => $"{Name}-p{partition}";
}
