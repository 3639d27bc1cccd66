using Likes.Shared.Configuration;

namespace Likes.Admin.Access;

/// <summary>
/// <c>likes-admin access &lt;what&gt; [file]</c>: the server-side half of least privilege, generated from the
/// same definitions the tests check against real servers. <c>nats-config</c>: the nats-server authorization
/// block; <c>redis-acl</c>: a Redis ACL file (passwords from <c>LIKES_&lt;NAME&gt;_&lt;NATS|REDIS&gt;_PASSWORD</c>);
/// <c>snippets</c>: both with placeholders, for operators' own servers (docs/operations.md). Written to the
/// file (mode 0600: it holds passwords or their hashes) or stdout. <c>credentials</c>: the local stack's
/// passwords file, created or completed (<see cref="Credentials"/>).
/// </summary>
public static class AccessCommand
{
    public const string Usage = "usage: likes-admin access nats-config|redis-acl|snippets [file] | credentials <file>";

    /// <param name="environment">Reads a variable (the process environment, or a test's own).</param>
    public static int Run(string[] args, StreamOptions stream, RedisOptions redis, Func<string, string?> environment, TextWriter output, TextWriter error)
    {
        string text;
        switch (args.FirstOrDefault())
        {
            case "nats-config" or "redis-acl" when MissingPasswords(args[0] == "nats-config" ? Store.Nats : Store.Redis, environment) is { Length: > 0 } missing:
                error.WriteLine($"access {args[0]}: set {missing}");
                return 2;
            case "nats-config":
                text = NatsAuthorization.Render(stream, i => environment(i.PasswordVariable(Store.Nats))!);
                break;
            case "redis-acl":
                text = RedisAcl.File(redis.KeyPrefix, i => environment(i.PasswordVariable(Store.Redis))!);
                break;
            case "credentials" when args.ElementAtOrDefault(1) is { Length: > 0 } credentials:
                var (total, added) = Credentials.Ensure(credentials);
                output.WriteLine($"access: {total} passwords in {credentials} ({added} new)");
                return 0;
            case "snippets":
                text = $"# nats-server\n{NatsAuthorization.Render(stream, i => $"<{i.PasswordVariable(Store.Nats)}>")}\n# redis-cli\n{RedisAcl.SetUserCommands(redis.KeyPrefix)}";
                break;
            default:
                error.WriteLine(Usage);
                return 2;
        }

        if (args.ElementAtOrDefault(1) is not { Length: > 0 } file)
        {
            output.Write(text);
            return 0;
        }

        WriteOwnerOnly(file, text);
        output.WriteLine($"access: wrote {args[0]} to {file}");
        return 0;
    }

    private static string MissingPasswords(Store store, Func<string, string?> environment)
        => string.Join(", ", Identity.All.Where(i => i.Uses(store)).Select(i => i.PasswordVariable(store)).Where(v => string.IsNullOrEmpty(environment(v))));

    /// <summary>Writes a file only its owner can read: created that way, and an existing one narrowed too.</summary>
    internal static void WriteOwnerOnly(string file, string text)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
            if (File.Exists(file))
            {
                File.SetUnixFileMode(file, OwnerOnly);
            }
        }

        using var writer = new StreamWriter(file, options);
        writer.Write(text);
    }
}
