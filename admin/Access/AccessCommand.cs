using Likes.Shared.Configuration;

namespace Likes.Admin.Access;

/// <summary>
/// <c>likes-admin access &lt;what&gt; [file]</c>: the server-side half of least privilege, generated from the
/// same definitions the tests check against real servers. <c>nats-config</c>: the nats-server authorization
/// block; <c>redis-acl</c>: a Redis ACL file (passwords from <c>LIKES_&lt;NAME&gt;_REDIS_PASSWORD</c>);
/// <c>snippets</c>: both, for operators' own servers (docs/operations.md). Written to the file (mode 0600) or stdout.
/// </summary>
public static class AccessCommand
{
    public const string Usage = "usage: likes-admin access nats-config|redis-acl|snippets [file]";

    public static int Run(string[] args, StreamOptions stream, RedisOptions redis, TextWriter output, TextWriter error)
    {
        string text;
        switch (args.FirstOrDefault())
        {
            case "nats-config":
                text = NatsAuthorization.Render(stream);
                break;
            case "redis-acl":
                var missing = Identity.All.Where(i => i.Uses(Store.Redis) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(i.PasswordVariable(Store.Redis)))).ToList();
                if (missing.Count > 0)
                {
                    error.WriteLine($"access redis-acl: set {string.Join(", ", missing.Select(i => i.PasswordVariable(Store.Redis)))}");
                    return 2;
                }

                text = RedisAcl.File(redis.KeyPrefix, i => Environment.GetEnvironmentVariable(i.PasswordVariable(Store.Redis))!);
                break;
            case "snippets":
                text = $"# nats-server\n{NatsAuthorization.Render(stream)}\n# redis-cli\n{RedisAcl.SetUserCommands(redis.KeyPrefix)}";
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

    /// <summary>Writes a file only its owner can read: created that way, and an existing one narrowed too.</summary>
    private static void WriteOwnerOnly(string file, string text)
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
