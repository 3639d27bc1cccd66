namespace Likes.Admin.Access;

/// <summary>A server Likes logs in to.</summary>
public enum Store
{
    Nats,
    Redis,
    Postgres,
}

/// <summary>
/// Who logs in to the servers: each daemon as a user of its own, allowed only what that daemon does
/// (docs/security.md), and the admin identity that provisions streams, owns the schema and runs the tests.
/// </summary>
/// <param name="Name">The daemon's name, as in its metrics and durable consumers; <c>admin</c> for the admin.</param>
/// <param name="Stores">The servers it logs in to.</param>
public sealed record Identity(string Name, params Store[] Stores)
{
    public static readonly Identity Admin = new("admin", Store.Nats, Store.Redis);

    public static readonly Identity Edge = new("edge", Store.Nats, Store.Redis, Store.Postgres);

    public static readonly Identity Aggregator = new("aggregator", Store.Nats, Store.Redis);

    public static readonly Identity Persister = new("persister", Store.Nats, Store.Redis, Store.Postgres);

    public static readonly Identity Reheater = new("reheater", Store.Nats, Store.Redis, Store.Postgres);

    public static readonly Identity Reconciler = new("reconciler", Store.Redis, Store.Postgres);

    public static readonly IReadOnlyList<Identity> Daemons = [Edge, Aggregator, Persister, Reheater, Reconciler];

    /// <summary>A Redis replica's login to its master (<c>masteruser</c>/<c>masterauth</c>): the default user is off.</summary>
    public static readonly Identity Replication = new("replication", Store.Redis);

    /// <summary>Every identity that has credentials of its own. PostgreSQL's admin is the schema owner of the connection string (<c>LIKES_POSTGRES</c>).</summary>
    public static readonly IReadOnlyList<Identity> All = [Admin, .. Daemons, Replication];

    /// <summary>The user (NATS, Redis) or role (PostgreSQL) name: <c>likes_&lt;name&gt;</c>.</summary>
    public string UserName => $"likes_{Name}";

    public bool Uses(Store store) => Stores.Contains(store);

    /// <summary>The environment variable holding this identity's password for <paramref name="store"/>, e.g. <c>LIKES_EDGE_NATS_PASSWORD</c>.</summary>
    public string PasswordVariable(Store store) => $"LIKES_{Name.ToUpperInvariant()}_{store.ToString().ToUpperInvariant()}_PASSWORD";

    public static Identity Named(string name)
        => All.FirstOrDefault(i => i.Name == name) ?? throw new ArgumentException($"no identity named '{name}'", nameof(name));

    public override string ToString() => Name;
}
