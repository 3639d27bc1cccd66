using System.Text;
using Likes.Shared.Events;

namespace Likes.Fixtures;

/// <summary>
/// Payloads that should not be events, made from a seed: valid encodings mutated (bits flipped, cut, spliced,
/// a field's value swapped for hostile JSON, fields repeated), random bytes, and the cases the design names
/// (empty, oversized, unknown version, valid JSON with bad fields). A mutation may still decode to a valid
/// event: the decoder is the judge, these only make sure it is asked the hard questions.
/// </summary>
public sealed class PoisonEvents(int seed)
{
    private static readonly string[] Fields = ["v", "id", "u", "c", "a", "t"];

    /// <summary>JSON values no field takes: wrong types, out of range, nested, control characters, line breaks.</summary>
    private static readonly string[] HostileValues =
    [
        "null", "true", "[]", "{}", "{\"x\":{\"y\":1}}", "[[[[[[[[1]]]]]]]]", "0", "-1", "-0", "1.5", "1e309", "99999999999999999999999",
        "9223372036854775808", "\"\"", "\"1\"", "\"L\\r\\nLikes-Dlq-Worker: forged\"", "\"\\u0000\"", "\"\\ud800\"", "\"X\"", "2", "\"" + new string('a', 400) + "\"",
    ];

    private readonly Random _random = new(seed);

    public byte[] Next()
    {
        var valid = Encoding.UTF8.GetString(LikeEventCodec.Encode(new LikeEvent(Guid.CreateVersion7(), _random.NextInt64(1, long.MaxValue),
            _random.NextInt64(1, long.MaxValue), _random.Next(2) == 0 ? LikeAction.Like : LikeAction.Unlike, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())));
        return _random.Next(10) switch
        {
            0 => FlipBits(Encoding.UTF8.GetBytes(valid)),
            1 => Encoding.UTF8.GetBytes(valid[.._random.Next(valid.Length)]),
            2 => Splice(Encoding.UTF8.GetBytes(valid)),
            3 => Encoding.UTF8.GetBytes(ReplaceValue(valid)),
            4 => Encoding.UTF8.GetBytes(valid.Insert(1, $"\"{Pick(Fields)}\":{Pick(HostileValues)},")),
            5 => Encoding.UTF8.GetBytes(valid + Pick([valid, " ", "\n", "x", "{}", "\0"])),
            6 => Random(_random.Next(0, 700)),
            7 => [.. "\uFEFF"u8, .. Encoding.UTF8.GetBytes(valid)],
            8 => Encoding.UTF8.GetBytes(Pick([string.Empty, "{}", "[]", "null", "{\"v\":2}", valid.Replace("\"v\":1", "\"v\":2", StringComparison.Ordinal), valid + new string(' ', 600)])),
            _ => Encoding.UTF8.GetBytes(valid.Replace("\"a\":\"", "\"a\":\"\\r\\n", StringComparison.Ordinal)),
        };
    }

    private byte[] FlipBits(byte[] bytes)
    {
        for (var i = _random.Next(1, 9); i > 0; i--)
        {
            bytes[_random.Next(bytes.Length)] ^= (byte)(1 << _random.Next(8));
        }

        return bytes;
    }

    private byte[] Splice(byte[] bytes)
    {
        var at = _random.Next(bytes.Length);
        var cut = _random.Next(0, Math.Min(10, bytes.Length - at) + 1);
        return [.. bytes[..at], .. Random(_random.Next(0, 10)), .. bytes[(at + cut)..]];
    }

    private string ReplaceValue(string json)
    {
        var field = Pick(Fields);
        var start = json.IndexOf($"\"{field}\":", StringComparison.Ordinal) + field.Length + 3;
        var end = json.IndexOfAny([',', '}'], start);
        return json[..start] + Pick(HostileValues) + json[end..];
    }

    private byte[] Random(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private T Pick<T>(T[] choices) => choices[_random.Next(choices.Length)];
}
