using System.Globalization;
using Dapper;
using Likes.Fixtures;
using Xunit;

namespace Likes.Reconciler.Tests;

/// <summary>The schedule in the clustered job store: misfires, and schedules changed by configuration.</summary>
public class ScheduleTests(StackFixture fixture) : IClassFixture<StackFixture>
{
    private readonly Stack _stack = new(fixture);

    [Fact]
    public async Task RunsMissedWhileEveryReplicaWasDown_RunOnce_WhenOneComesBack()
    {
        // Daily at an hour twelve hours away, so no regular run can fall inside the test.
        var hour = (DateTime.UtcNow.Hour + 12) % 24;
        var schedule = new Dictionary<string, string?>
        {
            ["Reconciler:RecentCron"] = string.Create(CultureInfo.InvariantCulture, $"0 0 {hour} * * ?"),
            ["Reconciler:FullCron"] = string.Create(CultureInfo.InvariantCulture, $"0 30 {hour} * * ?"),
        };
        await (await _stack.DaemonAsync(schedule)).DisposeAsync();

        // As if the job last ran three days ago and the two runs since were missed while nothing was up.
        var today = DateTime.UtcNow.Date.AddHours(hour);
        var lastRun = new DateTimeOffset(today.AddDays(-3), TimeSpan.Zero);
        await using (var c = await fixture.Postgres.OpenConnectionAsync())
        {
            var updated = await c.ExecuteAsync(
                "UPDATE qrtz_triggers SET prev_fire_time = @prev, next_fire_time = @next WHERE trigger_name = 'recent' AND trigger_group = 'reconciler'",
                new { prev = lastRun.UtcTicks, next = lastRun.AddDays(1).UtcTicks });
            Assert.Equal(1, updated);
        }

        await using var daemon = await _stack.DaemonAsync(schedule);
        var log = daemon.Get<RunLog>();

        await Eventually.UntilAsync(() => Task.FromResult(log.Runs(RecentReconciliation.Job) >= 1), TimeSpan.FromSeconds(30), "the missed run");
        // Settled: the trigger's next fire is the regular one again, and nothing is firing.
        await Eventually.UntilAsync(async () =>
        {
            await using var c = await fixture.Postgres.OpenConnectionAsync();
            // Quartz.NET keeps times as UTC ticks.
            var next = await c.ExecuteScalarAsync<long>("SELECT next_fire_time FROM qrtz_triggers WHERE trigger_name = 'recent'");
            var firing = await c.ExecuteScalarAsync<long>("SELECT count(*) FROM qrtz_fired_triggers");
            return next > DateTimeOffset.UtcNow.AddHours(6).UtcTicks && firing == 0;
        }, TimeSpan.FromSeconds(30), "trigger back on its schedule");

        Assert.Equal(1, log.Runs(RecentReconciliation.Job));
        Assert.Equal(0, log.Runs(FullAudit.Job));
    }

    [Fact]
    public async Task AScheduleChangedInConfiguration_ReplacesTheStoredTrigger()
    {
        await (await _stack.DaemonAsync(new Dictionary<string, string?> { ["Reconciler:FullCron"] = "0 30 3 * * ?" })).DisposeAsync();
        await using var daemon = await _stack.DaemonAsync(new Dictionary<string, string?> { ["Reconciler:FullCron"] = "0 45 4 ? * SUN" });

        await using var c = await fixture.Postgres.OpenConnectionAsync();
        Assert.Equal("0 45 4 ? * SUN", await c.ExecuteScalarAsync<string>(
            "SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_name = 'full' AND trigger_group = 'reconciler'"));
    }
}
