using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using StackExchange.Redis;

namespace Likes.Shared;

/// <summary>
/// A Lua script of <see cref="RedisScripts"/>, run by its SHA1 (<c>EVALSHA</c>). Run by its text, the client looks the
/// whole text up in its per-server script cache on every call, hashing it while it holds the connection's write lock.
/// A server without the script (restarted, flushed, a promoted replica) answers <c>NOSCRIPT</c> before running
/// anything: the call is then made by the text, which loads it there.
/// </summary>
public sealed class RedisScript
{
    private readonly byte[] _sha1;

    [SuppressMessage("Security", "CA5350", Justification = "Redis names a script by its SHA1: an identifier, not a protection.")]
    public RedisScript(string text)
    {
        Text = text;
        _sha1 = SHA1.HashData(Encoding.UTF8.GetBytes(text));
    }

    public string Text { get; }

    /// <summary>The SHA1 Redis knows the script by (lower-case hex, as <c>SCRIPT LOAD</c> answers it).</summary>
    public string Sha1 => Convert.ToHexStringLower(_sha1);

    /// <summary>
    /// Runs the script on <paramref name="db"/>, which may be a batch the caller executes afterwards. A <c>NOSCRIPT</c>
    /// answer comes after such a batch was sent: the call by text then goes on the connection itself.
    /// </summary>
    public async Task<RedisResult> EvaluateAsync(IDatabaseAsync db, RedisKey[] keys, RedisValue[] args)
    {
        try
        {
            return await db.ScriptEvaluateAsync(_sha1, keys, args);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await db.Multiplexer.GetDatabase().ScriptEvaluateAsync(Text, keys, args);
        }
    }
}
