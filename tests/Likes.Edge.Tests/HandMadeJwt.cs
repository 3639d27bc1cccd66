using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Likes.Fixtures;
using Microsoft.IdentityModel.Tokens;

namespace Likes.Edge.Tests;

/// <summary>Tokens a well-behaved library would refuse to mint: no signature, another algorithm, no exp, odd subjects.</summary>
public static class HandMadeJwt
{
    public static long ExpiresIn(TimeSpan fromNow) => DateTimeOffset.UtcNow.Add(fromNow).ToUnixTimeSeconds();

    public static string Hs256(object payload, string key = Tokens.DevelopmentKey)
        => Signed("HS256", payload, data => HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), data));

    public static string Hs512(object payload, string key = Tokens.DevelopmentKey)
        => Signed("HS512", payload, data => HMACSHA512.HashData(Encoding.UTF8.GetBytes(key), data));

    /// <summary><c>alg: none</c> with an empty signature: valid-looking, signed by nobody.</summary>
    public static string AlgNone(object payload) => Part(new { alg = "none", typ = "JWT" }) + "." + Part(payload) + ".";

    private static string Signed(string alg, object payload, Func<byte[], byte[]> sign)
    {
        var input = Part(new { alg, typ = "JWT" }) + "." + Part(payload);
        return input + "." + Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes(input)));
    }

    private static string Part(object value) => Base64UrlEncoder.Encode(JsonSerializer.SerializeToUtf8Bytes(value));
}
