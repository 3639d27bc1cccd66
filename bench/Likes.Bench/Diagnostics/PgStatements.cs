using Dapper;
using Npgsql;

namespace Likes.Bench.Diagnostics;

/// <summary>
/// <c>pg_stat_statements</c> for one database at one moment; two of them say which statements a scenario
/// ran and what PostgreSQL spent executing them. Empty when the extension is not installed.
/// </summary>
public sealed class PgStatements
{
    private const string Sql = """
        SELECT queryid AS Id, calls AS Calls, total_exec_time AS Milliseconds, left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS Query
        FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = @database)
        """;

    private readonly Dictionary<long, Row> _rows;

    private PgStatements(Dictionary<long, Row> rows) => _rows = rows;

    /// <param name="postgres">A database where the extension is installed (the view shows every database).</param>
    public static async Task<PgStatements> TakeAsync(NpgsqlDataSource postgres, string database)
    {
        try
        {
            await using var connection = await postgres.OpenConnectionAsync();
            var rows = await connection.QueryAsync<(long Id, long Calls, double Milliseconds, string Query)>(Sql, new { database });
            return new PgStatements(rows.GroupBy(r => r.Id).ToDictionary(g => g.Key, g => new Row(g.Key, g.First().Calls, g.First().Milliseconds, g.First().Query)));
        }
        catch (PostgresException)
        {
            return new PgStatements([]);
        }
    }

    /// <summary>Statements run since <paramref name="before"/>, the most expensive first.</summary>
    public IReadOnlyList<StatementCost> Since(PgStatements before, int top = 5)
        => [.. _rows.Values
            .Select(r => (r, b: before._rows.GetValueOrDefault(r.Id)))
            .Select(x => new StatementCost(x.r.Query, x.r.Calls - (x.b?.Calls ?? 0), Math.Round(x.r.Milliseconds - (x.b?.Milliseconds ?? 0), 1)))
            .Where(s => s.Calls > 0)
            .OrderByDescending(s => s.Milliseconds)
            .Take(top)];

    private sealed record Row(long Id, long Calls, double Milliseconds, string Query);
}

public sealed record StatementCost(string Query, long Calls, double Milliseconds)
{
    public double MillisecondsPerCall => Calls > 0 ? Math.Round(Milliseconds / Calls, 3) : 0;
}
