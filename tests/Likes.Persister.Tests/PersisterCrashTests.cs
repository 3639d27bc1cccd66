using Likes.Fixtures;
using Xunit;

namespace Likes.Persister.Tests;

/// <summary>The persister as a real process, killed with SIGKILL while it drains: nothing lost, nothing doubled.</summary>
public class PersisterCrashTests(StackFixture stack) : IClassFixture<StackFixture>
{
    [Fact]
    public async Task AThousandLikes_WithThePersisterKilledTwiceMidStream_EndAtExactlyAThousand()
    {
        const long content = 4242;
        var events = new EventPublisher(stack.JetStream, stack.Stream);
        var configuration = stack.Configuration();
        configuration["Consumer:BatchSize"] = "50";
        var port = DaemonProcess.FreePort();
        var persister = DaemonProcess.Start("Likes.Persister", configuration, port);
        try
        {
            var publishing = events.PublishAsync(Enumerable.Range(1, 1000).Select(u => events.Like(u, content)));
            for (var kill = 1; kill <= 2; kill++)
            {
                var target = kill * 250;
                await Eventually.UntilAsync(async () => await TruthQueries.RowsAsync(stack.Postgres, content) >= target,
                    TimeSpan.FromSeconds(60), $"{target} rows before kill {kill}");
                await persister.KillAsync();
                await persister.DisposeAsync();
                persister = DaemonProcess.Start("Likes.Persister", configuration, port);
            }

            await publishing;
            // Caught up by what PostgreSQL holds, not only by the server's consumer state, which can say "nothing
            // pending" while the restarted loop is still reading held events from the stream (docs/reliability.md).
            // (pending, rows): a failure says whether events were still pending or acked without their rows.
            await Eventually.UntilAsync(
                async () => (Pending: await events.PendingAsync("persister"), Rows: await TruthQueries.RowsAsync(stack.Postgres, content)),
                state => state.Pending == 0 && state.Rows >= 1000,
                TimeSpan.FromSeconds(90), "persister caught up, every like in PostgreSQL (pending, rows)");

            Assert.Equal(1000, await TruthQueries.RowsAsync(stack.Postgres, content));
            Assert.Equal(1000, await TruthQueries.StoredCountAsync(stack.Postgres, content));
            Assert.Equal(0, await TruthQueries.CountDriftAsync(stack.Postgres));
        }
        finally
        {
            await persister.DisposeAsync();
        }
    }
}
