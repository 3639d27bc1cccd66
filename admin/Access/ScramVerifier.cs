using System.Security.Cryptography;
using System.Text;

namespace Likes.Admin.Access;

/// <summary>
/// A PostgreSQL SCRAM-SHA-256 password verifier (RFC 5802/7677, as <c>\password</c> in psql makes it), so
/// <c>ALTER ROLE … PASSWORD</c> sends the verifier, never the password: nothing readable reaches the server's
/// logs or pg_stat_statements.
/// </summary>
public static class ScramVerifier
{
    /// <summary>PostgreSQL's own default (scram_iterations).</summary>
    public const int Iterations = 4096;

    private const int SaltBytes = 16;

    public static string Create(string password) => Create(password, RandomNumberGenerator.GetBytes(SaltBytes), Iterations);

    public static string Create(string password, byte[] salt, int iterations)
    {
        // PostgreSQL applies SASLprep to the password; for printable ASCII that changes nothing. Other passwords
        // are refused rather than risking a verifier that never matches.
        if (password.Length == 0 || password.Any(c => c is < '!' or > '~'))
        {
            throw new ArgumentException("a PostgreSQL password here must be printable ASCII without spaces", nameof(password));
        }

        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, SHA256.HashSizeInBytes);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}
