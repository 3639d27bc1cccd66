namespace Likes.Fixtures;

/// <summary>
/// Where the real servers of the test run listen: those `./likes test` starts on 127.0.0.1
/// (overridable with LIKES_TEST_* for a different local layout). Tests never go anywhere else. They act as
/// the admin: when the servers require credentials, `./likes test` puts the admin's into LIKES_TEST_NATS
/// (<c>nats://likes_admin:…@…</c>) and LIKES_TEST_REDIS (<c>…,user=likes_admin,password=…</c>).
/// </summary>
public static class TestServers
{
    public static string Redis => Environment.GetEnvironmentVariable("LIKES_TEST_REDIS") ?? "127.0.0.1:6379";

    public static string Nats => Environment.GetEnvironmentVariable("LIKES_TEST_NATS") ?? "nats://127.0.0.1:4222";

    /// <summary>
    /// The nats-server binary a test starts itself: the supported 2.10 line that `./likes test` unpacks under
    /// .local/tools/nats and names in LIKES_NATS_SERVER (never the system's, which may be Debian 12's 2.9).
    /// </summary>
    public static string NatsServerBinary => Environment.GetEnvironmentVariable("LIKES_NATS_SERVER")
        ?? Path.Combine(Repository.Root, ".local", "tools", "nats", "root", "usr", "sbin", "nats-server");

    /// <summary>A role that may create databases; each fixture makes its own.</summary>
    public static string Postgres => Environment.GetEnvironmentVariable("LIKES_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Database=likes;Username=likes;Password=likes";
}
