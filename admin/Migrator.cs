using DbUp;
using DbUp.Engine;

namespace Likes.Admin;

/// <summary>
/// Applies the versioned SQL files under Migrations/ in name order, once each, recording them in
/// <c>schemaversions</c>. DbUp: plain SQL files a DBA can read, one journal table, nothing generated.
/// </summary>
public static class Migrator
{
    public static DatabaseUpgradeResult Apply(string connectionString, TextWriter log)
    {
        var upgrader = DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(typeof(Migrator).Assembly)
            .WithTransactionPerScript()
            .LogTo(new TextWriterLog(log))
            .Build();
        return upgrader.PerformUpgrade();
    }

    private sealed class TextWriterLog(TextWriter writer) : DbUp.Engine.Output.IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }

        public void LogDebug(string format, params object[] args) { }

        public void LogInformation(string format, params object[] args) => writer.WriteLine("migrate: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void LogWarning(string format, params object[] args) => writer.WriteLine("migrate warning: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void LogError(string format, params object[] args) => writer.WriteLine("migrate error: " + string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args));

        public void LogError(Exception ex, string format, params object[] args) => LogError(format + ": " + ex.Message, args);
    }
}
