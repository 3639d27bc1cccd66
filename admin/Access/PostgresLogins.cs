using Npgsql;

namespace Likes.Admin.Access;

/// <summary>
/// Lets each daemon's role log in: the migrations create the roles NOLOGIN (no password belongs in a migration);
/// this gives LOGIN and the password from the daemon's secret, as a SCRAM verifier. A role whose password is not
/// given is left as it is (an operator may manage its login).
/// </summary>
public static class PostgresLogins
{
    public static async Task<int> ApplyAsync(string adminConnectionString, Func<Identity, string?> password, TextWriter log, CancellationToken ct)
    {
        await using var postgres = NpgsqlDataSource.Create(adminConnectionString);
        var applied = 0;
        foreach (var who in Identity.Daemons.Where(i => i.Uses(Store.Postgres)))
        {
            if (password(who) is not { Length: > 0 } secret)
            {
                continue;
            }

            // Utility statements take no parameters: the role is one of ours, the verifier is base64 and '$:'.
            await using var alter = postgres.CreateCommand($"ALTER ROLE \"{who.UserName}\" WITH LOGIN PASSWORD '{ScramVerifier.Create(secret)}'");
            await alter.ExecuteNonQueryAsync(ct);
            applied++;
        }

        log.WriteLine($"logins: {applied} daemon roles may log in");
        return applied;
    }
}
