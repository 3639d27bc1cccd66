using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Likes.Bench.Checks;
using Likes.Bench.Load;
using Likes.Faults.Tests.Load;
using Likes.Faults.Tests.Stack;
using Likes.Fixtures;
using Likes.Shared;
using Likes.Shared.Configuration;
using NATS.Client.JetStream;
using Npgsql;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace Likes.Faults.Tests.Scenarios;

/// <summary>
/// Runs one plan: load through the edge, the fault after a warm-up, recovery after a hold, load until every
/// answer is normal and every daemon ready again; then the consumers catch up, one reconcile run (the full
/// audit, as an operator runs it), and the checks: every acknowledged write in PostgreSQL, counts exact in
/// PostgreSQL and Redis, no read answered 5xx. The answers and fault times stay available for the plan's
/// own assertions (the degradation contract).
/// </summary>
public sealed class ScenarioRun
{
    /// <summary>Enough to follow a pair through a fault; a client writes a pair a handful of times per scenario.</summary>
    private const int MaxPublishLines = 40;

    private ScenarioRun(ScenarioResult result, Answers answers, TimeSpan injectedAt, TimeSpan recoveringAt)
    {
        Result = result;
        Answers = answers;
        InjectedAt = injectedAt;
        RecoveringAt = recoveringAt;
    }

    public ScenarioResult Result { get; }

    public Answers Answers { get; }

    public TimeSpan InjectedAt { get; }

    public TimeSpan RecoveringAt { get; }

    /// <summary>Answers to requests sent while the fault was in place.</summary>
    public IEnumerable<Answer> DuringFault(RequestKind kind) => Answers.Between(InjectedAt, RecoveringAt, kind);

    public static async Task<ScenarioRun> RunAsync(PrivateStack stack, FaultPlan plan, ITestOutputHelper output)
    {
        var size = FaultSize.Current;
        await stack.EnsureUpAsync();
        var idBase = stack.NextIdBase();
        var refusalsMark = await stack.MarkRefusalsAsync();
        var countsBefore = await RecoveryCounts.ReadAsync(stack);
        var clock = Stopwatch.StartNew();
        var history = new History();
        var answers = new Answers();
        var context = new FaultContext(stack, size, idBase, history, clock);
        using var edge = new EdgeClient(stack.Edges, Tokens.DevelopmentKey, size.Clients);
        var load = new FaultLoad(edge, size, plan.Shape, idBase, history, answers, clock);
        var readiness = new ReadinessMonitor(stack, clock);

        using var stop = new CancellationTokenSource();
        var monitoring = readiness.RunAsync(stop.Token);
        var loading = load.RunAsync(stop.Token);
        LoadResult result;
        TimeSpan injectedAt, recoveringAt, quietSince;
        try
        {
            await Task.Delay(size.Warmup);
            injectedAt = clock.Elapsed;
            await plan.Inject(context);
            await Task.Delay(plan.Hold ?? size.Hold);
            recoveringAt = clock.Elapsed;
            await plan.Recover(context);

            var deadline = clock.Elapsed + size.RecoveryLimit;
            TimeSpan LastTrouble() => new[] { recoveringAt, answers.LastAbnormal ?? TimeSpan.Zero, readiness.LastNotReady ?? TimeSpan.Zero }.Max();
            while (clock.Elapsed - LastTrouble() < size.Quiet && clock.Elapsed < deadline)
            {
                await Task.Delay(100);
            }

            quietSince = LastTrouble();
        }
        finally
        {
            await stop.CancelAsync();
            result = await loading;
            await monitoring;
        }

        var recovered = clock.Elapsed - quietSince >= size.Quiet;
        var trouble = new[] { answers.LastAbnormal ?? TimeSpan.Zero, readiness.LastNotReady ?? TimeSpan.Zero }.Max();
        var recovery = trouble > injectedAt ? trouble - injectedAt : TimeSpan.Zero;

        var (catchUp, consumers, slowCatchUp) = await CatchUpAsync(stack, size);
        var recoveries = (await RecoveryCounts.ReadAsync(stack)).Since(countsBefore);
        var reconcile = await stack.ScriptAsync("""
            mapfile -t vars < <(_fleet_env; credentials_daemon_env reconciler); rc=0
            env "${vars[@]}" ASPNETCORE_ENVIRONMENT=Production dotnet "$(_dll Likes.Reconciler)" reconcile --full || rc=$?
            echo "reconcile exit code $rc"
            """);

        var (final, undetermined) = history.Expected();
        await using var postgres = NpgsqlDataSource.Create(stack.Postgres);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(stack.Redis);
        var exactness = await new Exactness(postgres, redis, new RedisKeys(new RedisOptions().KeyPrefix))
            .CheckAsync(final, load.FirstContent, load.LastContent, undetermined);
        var readsChecked = await ReadAnswers.CheckAsync(edge, postgres, final, load.FirstContent, load.LastContent, undetermined, CancellationToken.None);
        var refusals = (await stack.RefusalsSinceAsync(refusalsMark)).Where(r => !plan.ExpectedRefusals.Any(e => r.Contains(e, StringComparison.Ordinal))).ToList();

        var c = CultureInfo.InvariantCulture;
        var reads = answers.All.LongCount(a => a.Kind == RequestKind.Read);
        var loadText = string.Create(c, $"{size.Clients} clients, {result.Elapsed.TotalSeconds:F0} s: {answers.All.Count - reads:N0} writes, {reads:N0} reads");
        var faults = string.Join("; ", new[] { plan.Faults }.Concat(context.Notes));
        var details = new StringBuilder()
            .AppendLine(c, $"{plan.Name}: {loadText}; fault at {injectedAt.TotalSeconds:F1} s, recovery started at {recoveringAt.TotalSeconds:F1} s, normal again after {recovery.TotalSeconds:F1} s{(recovered ? string.Empty : " (NOT within the limit)")}")
            .AppendLine(c, $"  writes: {history.Acknowledged:N0} acknowledged, {history.Unknown:N0} unknown (503, timeout, no answer); pairs left open by an unknown write: {undetermined.Count:N0}")
            .AppendLine(c, $"  PostgreSQL: {exactness.Rows:N0} rows for {exactness.ExpectedLikes:N0} expected likes; lost {exactness.Lost}, unexpected {exactness.Extra}; contents {exactness.Contents:N0}, drift {exactness.DriftContents}, without a Redis counter {exactness.MissingCounters}")
            .AppendLine(c, $"  reads: {reads:N0} ({answers.Between(injectedAt, recoveringAt, RequestKind.Read).Count():N0} sent during the fault), 5xx {answers.ServerErrors(RequestKind.Read)}, degraded {answers.All.Count(a => a.Degraded)}, no answer {answers.All.Count(a => a.Kind == RequestKind.Read && a.Status == 0)}; consumers caught up in {catchUp.TotalSeconds:F1} s{(catchUp.CaughtUp ? string.Empty : ", NOT: " + string.Join("; ", catchUp.Behind))}")
            .AppendLine(c, $"  {recoveries}")
            .AppendLine(c, $"  answers after catch-up: {readsChecked.Users:N0} users, {readsChecked.Facts:N0} feed-state facts: {readsChecked.WrongLiked} liked wrong, {readsChecked.WrongCounts} counts wrong, {readsChecked.WrongMyLikes} my-likes wrong, {readsChecked.ServerErrors} not 200, {readsChecked.Degraded} degraded")
            .Append(readsChecked.Samples.Count == 0 ? string.Empty : "  wrong answers: " + string.Join("; ", readsChecked.Samples) + Environment.NewLine)
            .Append(refusals.Count == 0 ? string.Empty : "  refused by a server's permissions (a grant missing):" + Environment.NewLine + string.Join(Environment.NewLine, refusals.Take(10).Select(r => "    " + r)) + Environment.NewLine)
            .Append(slowCatchUp is null ? string.Empty : $"  still catching up after {size.SlowCatchUp.TotalSeconds:F0} s: {slowCatchUp}{Environment.NewLine}")
            .Append(exactness.LostSample.Count == 0 ? string.Empty : "  lost (user, content): " + string.Join(", ", exactness.LostSample) + Environment.NewLine)
            .Append(PublishesOf(stack, exactness.LostSample))
            .AppendLine("  " + faults)
            .Append(catchUp.CaughtUp && exactness.Lost == 0 ? string.Empty : consumers + Environment.NewLine)
            .Append(reconcile);
        output.WriteLine(details.ToString());

        var row = new ScenarioResult(plan.Order, plan.Name, loadText, faults, history.Acknowledged, exactness.Lost + exactness.Extra,
            exactness.DriftContents, readsChecked.Wrong, answers.ServerErrors(RequestKind.Read), recovery.TotalSeconds, details.ToString());
        stack.Results.Add(row);
        // Drift is only "after one reconcile" if the reconcile ran.
        var reconciled = reconcile.Contains("reconcile exit code 0", StringComparison.Ordinal);
        if (!recovered || !catchUp.CaughtUp || !reconciled || refusals.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"{plan.Name}: {(recovered ? string.Empty : "did not recover within the limit; ")}{(catchUp.CaughtUp ? string.Empty : "events never applied; ")}{(reconciled ? string.Empty : "the reconcile run failed; ")}{(refusals.Count == 0 ? string.Empty : $"{refusals.Count} permission refusals; ")}\n{details}");
        }

        return new ScenarioRun(row, answers, injectedAt, recoveringAt);
    }

    /// <summary>What the edge logged of the lost pairs' publishes: which stream sequence held each write.</summary>
    private static string PublishesOf(PrivateStack stack, IReadOnlyList<(long User, long Content)> lost)
    {
        var logs = stack.Ports.ReplicasOf("edge").Select(stack.LogOf).Where(File.Exists).ToList();
        if (lost.Count == 0 || logs.Count == 0)
        {
            return string.Empty;
        }

        var marks = lost.Select(p => $"of content {p.Content} for user {p.User} at").ToList();
        var lines = logs.SelectMany(File.ReadLines)
            .Where(line => line.StartsWith('{') && marks.Any(m => line.Contains(m, StringComparison.Ordinal)))
            .Select(TimeAndMessage)
            .Take(MaxPublishLines)
            .ToList();
        return lines.Count == 0
            ? "  the edge logged no publish of the lost pairs" + Environment.NewLine
            : "  the edge's publishes of the lost pairs:" + Environment.NewLine + string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    private static string TimeAndMessage(string jsonLine)
    {
        using var entry = JsonDocument.Parse(jsonLine);
        var root = entry.RootElement;
        return $"    {root.GetProperty("Timestamp").GetString()?.Trim()} {root.GetProperty("Message").GetString()}";
    }

    /// <summary>The write path does not touch PostgreSQL: while it was away, writes were sent and every one was accepted.</summary>
    public void AssertEveryWriteAcceptedDuringFault()
    {
        var writes = DuringFault(RequestKind.Write).ToList();
        Assert.NotEmpty(writes);
        Assert.All(writes, w => Assert.Equal(202, w.Status));
    }

    /// <summary>I5, I6 and I7: nothing acknowledged lost, every answer right and counts exact after one reconcile, no read answered 5xx.</summary>
    public void AssertInvariants()
    {
        Assert.True(Result.Lost == 0, $"{Result.Lost} acknowledged writes lost\n{Result.Details}");
        Assert.True(Result.WrongAnswers == 0, $"{Result.WrongAnswers} answers wrong after catch-up\n{Result.Details}");
        Assert.True(Result.Drift == 0, $"{Result.Drift} contents drift after one reconcile\n{Result.Details}");
        Assert.True(Result.ServerErrorReads == 0, $"{Result.ServerErrorReads} reads answered 5xx\n{Result.Details}");
    }

    /// <summary>
    /// Waits until both workers applied every partition to its end (by their own positions); returns that, what JetStream
    /// says of the stream and each consumer then (why events are behind, or were lost), and, if catching up was slow,
    /// what was behind while it was.
    /// </summary>
    private static async Task<(CatchUpResult CatchUp, string Consumers, string? Slow)> CatchUpAsync(PrivateStack stack, FaultSize size)
    {
        string? slow = null;
        var catchUp = await CatchUp.WaitAsync(stack.Bench, size.CatchUpLimit, CancellationToken.None, size.CatchUpSettle, (size.SlowCatchUp, state => slow = state));
        await using var nats = stack.ConnectNats();
        var events = new EventPublisher(new NatsJSContext(nats), new StreamOptions());
        return (catchUp, await events.DescribeAsync("aggregator", "persister"), slow);
    }
}
