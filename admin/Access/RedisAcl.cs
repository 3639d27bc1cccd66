using System.Security.Cryptography;
using System.Text;

namespace Likes.Admin.Access;

/// <summary>
/// The Redis ACL users: each daemon may run only the commands it sends, on only its own key families
/// (docs/redis.md). Commands a Lua script runs are checked like any other, keys included, so a script
/// cannot reach past its caller's patterns. Keys that take other commands are a selector
/// (<c>(~keys +commands)</c>, Redis 7): the reheater's locks take GET/SET/DEL, its timelines do not.
/// </summary>
public static class RedisAcl
{
    /// <summary>
    /// What StackExchange.Redis sends while connecting (HELLO, ECHO, CLIENT SETNAME/ID, INFO, CLUSTER NODES/SLOTS,
    /// the tie-breaker read, the reconfiguration channel) and the health check's PING: allowed, so ACL LOG shows
    /// real refusals only. CONFIG GET is the one probe refused on purpose: it can read other credentials. On a Redis
    /// Cluster, ASKING follows a slot in migration, READONLY opens a replica's connection and READWRITE turns it back
    /// when that replica is promoted: without them a resharding or a failover refuses the client.
    /// </summary>
    private static readonly string[] Handshake =
    [
        "resetchannels", "&__Booksleeve_MasterChanged", "%R~__Booksleeve_TieBreak",
        "-@all", "+hello", "+auth", "+echo", "+ping", "+client|setname", "+client|id", "+info", "+cluster|nodes", "+cluster|slots", "+asking", "+readonly", "+readwrite", "+subscribe", "+get",
    ];

    /// <summary>A script is sent by hash, and loaded or sent whole when the server does not have it.</summary>
    private static readonly string[] Scripts = ["+eval", "+evalsha", "+script|load"];

    /// <summary>The rules after the user's name and password, e.g. <c>resetkeys ~l:counts:* -@all +get …</c>.</summary>
    public static IReadOnlyList<string> Rules(Identity who, string keyPrefix)
    {
        var timelines = $"{keyPrefix}t{{*}}";
        var filters = $"{keyPrefix}b{{*}}";
        var staging = $"{keyPrefix}bn{{*}}:*";
        var positions = $"{keyPrefix}applied:aggregator:*";
        var locks = $"{keyPrefix}r{{*}}";
        var counters = $"{keyPrefix}counts:*";
        var writeRates = $"{keyPrefix}w{{*}}";
        string[] rules = who.Name switch
        {
            "admin" => ["~*", "&*", "+@all"],
            // Reads timelines (my-likes pages); the liked-state probe reads a page's timeline and filter in one
            // script and keeps both warm (PEXPIRE GT, its only write there); reads counters and writes back those
            // it had to load (set only if newer; ghosts only where no counter is, in a bucket that expires if new); keeps
            // each user's write-rate bucket (one script on the server's clock).
            "edge" => [$"%R~{timelines}", .. Handshake, "+zrange", "+zrangebyscore", "+zrevrangebyscore",
                Selector([timelines, filters], ["+zmscore", "+bitfield_ro", "+pexpire", .. Scripts]),
                Selector([counters], ["+hget", "+hmget", "+hset", "+hsetnx", "+exists", "+pexpire", "+persist", .. Scripts]),
                Selector([writeRates], ["+hmget", "+hset", "+pexpire", "+time", .. Scripts])],
            // Applies batches to timelines and the filters of heavy users, one script per user, and empties the timeline
            // and drops the filter of a user who erased their likes; then how far it applied the partition (read when a
            // partition's loop starts, written only forward by a script).
            // Every applied batch tears up the user's rebuild ticket (the lock key): its scripts name it beside the timeline.
            "aggregator" => [$"~{timelines}", $"~{filters}", $"~{staging}", .. Handshake, .. Scripts,
                "+zrange", "+zadd", "+zrem", "+zcard", "+zremrangebyrank", "+bitfield", "+pexpire", "+del",
                Selector([timelines, filters, staging, locks], ["+del", .. Scripts]),
                Selector([positions], ["+get", "+set", .. Scripts])],
            // Writes absolute counters, set only if newer; reads where a duplicate like's user timeline starts.
            "persister" => [$"~{counters}", $"%R~{timelines}", .. Handshake, .. Scripts, "+hget", "+hset", "+persist", "+zrange"],
            // Replaces a timeline and its filter whole (the filter written beside it first, then renamed into
            // place); one rebuild per user at a time under a lock key that expires, read by the replace as its ticket.
            "reheater" => [$"~{timelines}", $"~{filters}", $"~{staging}", .. Handshake, .. Scripts,
                "+zrange", "+zadd", "+del", "+exists", "+rename", "+pexpire", "+persist", "+getrange",
                Selector([staging], ["+set", "+setex", "+setrange"]),
                Selector([locks], ["+get", "+set", "+del", .. Scripts]),
                Selector([timelines, filters, staging, locks], ["+get", .. Scripts])],
            // Reads counters and repairs them only if unchanged; reads sampled timelines and filters, deletes a drifted pair
            // (StackExchange.Redis deletes with UNLINK).
            "reconciler" => [$"~{counters}", .. Handshake, .. Scripts, "+hget", "+hmget", "+hset", "+persist",
                Selector([timelines, filters], ["+zrange", "+get", "+del", "+unlink"])],
            // A replica's copy of its master: the replication handshake and stream, nothing else, no keys.
            "replication" => ["-@all", "+psync", "+replconf", "+ping"],
            _ => throw new ArgumentException($"no Redis rules for '{who}'", nameof(who)),
        };
        return ["resetkeys", .. rules];
    }

    /// <summary>An ACL file (<c>aclfile</c>): the default user off, then every identity with its password's SHA-256.</summary>
    public static string File(string keyPrefix, Func<Identity, string> password)
    {
        var text = new StringBuilder();
        text.AppendLine("user default off resetkeys resetchannels -@all");
        foreach (var who in Identity.All.Where(i => i.Uses(Store.Redis)))
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password(who))));
            text.AppendLine($"user {who.UserName} on #{hash} {string.Join(' ', Rules(who, keyPrefix))}");
        }

        return text.ToString();
    }

    /// <summary>
    /// The same users as <c>ACL SETUSER</c> commands for an existing server (redis-cli syntax), each password a
    /// placeholder such as <c>&lt;LIKES_EDGE_REDIS_PASSWORD&gt;</c> to replace.
    /// </summary>
    public static string SetUserCommands(string keyPrefix)
    {
        var text = new StringBuilder();
        foreach (var who in Identity.All.Where(i => i.Uses(Store.Redis)))
        {
            var rules = Rules(who, keyPrefix).Select(r => r.Contains(' ', StringComparison.Ordinal) ? $"\"{r}\"" : r);
            text.AppendLine($"ACL SETUSER {who.UserName} reset on ><{who.PasswordVariable(Store.Redis)}> {string.Join(' ', rules)}");
        }

        return text.ToString();
    }

    /// <summary>A selector: these commands on these keys, all of a command's keys within it (Redis 7).</summary>
    private static string Selector(IEnumerable<string> keys, IEnumerable<string> commands)
        => $"({string.Join(' ', keys.Select(k => "~" + k))} {string.Join(' ', commands)})";
}
