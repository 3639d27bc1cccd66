using System.Globalization;

namespace Likes.Faults.Tests.Scenarios;

/// <summary>One row of the reliability table, and the details a reader of a failure needs.</summary>
/// <param name="Accepted">Writes answered 202.</param>
/// <param name="Lost">Acknowledged writes PostgreSQL does not reflect: likes missing, or likes still there after an acknowledged unlike.</param>
/// <param name="Drift">Contents whose count row, or Redis counter, differs from COUNT(*) after one reconcile run.</param>
/// <param name="WrongAnswers">Reads after catch-up that disagree with what the clients were told: a pair's liked-state or
/// count in feed-state, or a user's my-likes (not exactly their liked contents).</param>
/// <param name="RecoverySeconds">From the fault until every answer was normal again and every daemon ready.</param>
public sealed record ScenarioResult(
    int Order,
    string Name,
    string Load,
    string Faults,
    long Accepted,
    int Lost,
    int Drift,
    long WrongAnswers,
    long ServerErrorReads,
    double RecoverySeconds,
    string Details)
{
    public string Row() => string.Create(CultureInfo.InvariantCulture,
        $"| {Name} | {Load} | {Faults} | {Accepted:N0} | {Lost} | {WrongAnswers} | {Drift} | {ServerErrorReads} | {RecoverySeconds:F1} |");
}
