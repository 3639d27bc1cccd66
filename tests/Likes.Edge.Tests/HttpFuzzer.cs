using System.Globalization;
using System.Text;
using Likes.Fixtures;

namespace Likes.Edge.Tests;

/// <summary>
/// Random HTTP/1.1 requests from a seed, the same seed the same requests: the API's paths with good, bad and
/// hostile ids, query strings, methods, tokens (valid, expired, unsigned, for odd subjects), headers, bodies and
/// framings, some well-formed, many not. Every request asks for <c>Connection: close</c> and never promises more
/// bytes than it sends, so each one ends with the server's answer.
/// </summary>
public sealed class HttpFuzzer(int seed)
{
    private static readonly string[] Methods = ["GET", "GET", "PUT", "PUT", "DELETE", "POST", "PATCH", "HEAD", "OPTIONS", "TRACE", "get", "LIKE", "PUT\t", "G(T", new string('M', 300)];

    private static readonly string[] OddIds =
    [
        "0", "-1", "+1", "007", "1e3", "1.5", "0x10", "9223372036854775807", "9223372036854775808", "99999999999999999999999",
        "%31", "%00", "", " ", "abc", "1,2", "１", "١", "%EF%BC%91", "NaN", "null", "[1]", "{}", "'1'", "1%0D%0AX-Injected:1", "..%2F..%2Fetc",
    ];

    private static readonly string[] Paths =
    [
        "/", "/v1", "/v1/", "/v1/likes", "/v1/likes/", "/V1/LIKES/1", "//v1//likes//1", "/v1/likes/1/", "/v1/likes/1/2", "/healthz/live", "/healthz/ready",
        "/metrics", "/v1/users/1/likes", "/v1/users/me", "/.env", "/v1/%2e%2e/metrics", "/v1/likes/1;x=1", "/v1/likes/1#frag", "*", "http://localhost/v1/likes/1",
    ];

    private const string Separators = "%\"<>\\^`{|}?#&=/+; ";

    private readonly Random _random = new(seed);

    public byte[] Next(out string summary)
    {
        var valid = _random.Next(4) == 0;
        var method = valid ? Pick(["GET", "PUT", "DELETE"]) : Pick(Methods);
        var target = valid ? ValidTarget(method) : Target();
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{method} {target} HTTP/1.1\r\n");
        if (valid || _random.Next(20) > 0)
        {
            head.Append("Host: localhost\r\n");
        }

        if (valid || _random.Next(5) > 0)
        {
            head.Append(CultureInfo.InvariantCulture, $"Authorization: {(valid ? "Bearer " + Tokens.For(User()) : Authorization())}\r\n");
        }

        if (_random.Next(4) == 0)
        {
            head.Append(CultureInfo.InvariantCulture, $"Idempotency-Key: {IdempotencyKey()}\r\n");
        }

        for (var i = _random.Next(valid ? 1 : 4); i > 0; i--)
        {
            head.Append(Header());
        }

        head.Append("Connection: close\r\n");
        var body = valid ? [] : Body(head);
        head.Append("\r\n");
        summary = $"{method} {Shorten(target)}";
        return [.. Encoding.Latin1.GetBytes(head.ToString()), .. body];
    }

    private string ValidTarget(string method) => method == "GET"
        ? Pick([$"/v1/feed-state?ids={string.Join(',', Enumerable.Range(0, _random.Next(1, 100)).Select(_ => Id()))}", $"/v1/contents/{Id()}/likes/count", $"/v1/users/me/likes?limit={_random.Next(1, 101)}"])
        : $"/v1/likes/{Id()}";

    private string Target()
    {
        var target = _random.Next(7) switch
        {
            0 => $"/v1/likes/{AnyId()}",
            1 => $"/v1/feed-state?ids={string.Join(Pick([",", ",", ";", ",,", "%2C"]), Enumerable.Range(0, _random.Next(0, 130)).Select(_ => AnyId()))}",
            2 => $"/v1/contents/{AnyId()}/likes/count",
            3 => $"/v1/users/me/likes?limit={Pick(["0", "1", "100", "101", "-1", "abc", "1.5", "", "99999999999"])}&cursor={Cursor()}",
            4 => Pick(Paths),
            5 => "/" + Garbage(_random.Next(1, 40)),
            _ => $"/v1/feed-state?{Query()}",
        };
        if (_random.Next(5) == 0)
        {
            target += (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + Query();
        }

        // Now and then a target past the edge's request line limit, or past Kestrel's own.
        return _random.Next(60) == 0 ? target + "&pad=" + new string('x', Pick([9000, 20000])) : target;
    }

    private string Authorization() => _random.Next(11) switch
    {
        0 => "Bearer " + Tokens.For(User()),
        1 => "Bearer " + Tokens.For(Pick(OddIds)),
        2 => "Bearer " + Tokens.For(User(), expires: DateTime.UtcNow.AddMinutes(-10)),
        3 => "Bearer " + HandMadeJwt.AlgNone(new { sub = User(), exp = HandMadeJwt.ExpiresIn(TimeSpan.FromHours(1)) }),
        4 => "Bearer " + Tokens.For(User(), key: "some-other-key-that-is-long-enough-0123456789"),
        5 => "Bearer " + HandMadeJwt.Hs512(new { sub = User(), exp = HandMadeJwt.ExpiresIn(TimeSpan.FromHours(1)) }),
        6 => "Bearer " + string.Join('.', Enumerable.Range(0, _random.Next(1, 5)).Select(_ => Base64Url(_random.Next(0, 200)))),
        7 => "Bearer",
        8 => "Basic dXNlcjpwYXNzd29yZA==",
        9 => "Bearer " + Garbage(_random.Next(1, 400)),
        _ => "Bearer " + Tokens.For(User()) + "\r\nAuthorization: Bearer " + Tokens.For(User()),
    };

    private string Header()
    {
        var value = _random.Next(6) switch
        {
            0 => Garbage(_random.Next(0, 100)),
            1 => new string('v', Pick([100, 17000, 40000])),
            2 => Pick(["application/json", "application/problem+json", "text/plain; charset=utf-16", "multipart/form-data; boundary=x", "*/*"]),
            3 => Pick(["gzip", "br, deflate", "identity;q=0", "chunked", "100-continue-not"]),
            _ => Base64Url(_random.Next(1, 60)),
        };
        var name = _random.Next(8) switch
        {
            0 => "Content-Type",
            1 => "Accept",
            2 => "Accept-Encoding",
            3 => "Content-Encoding",
            4 => "X-Forwarded-For",
            5 => "Bad Header",
            6 => "X-" + Base64Url(_random.Next(1, 20)).Replace('_', 'u').Replace('-', 'd'),
            _ => "Cookie",
        };
        return $"{name}: {value}\r\n";
    }

    /// <summary>A body and the headers that frame it: none, a length, chunks (well-formed or not), or framing that contradicts itself.</summary>
    private byte[] Body(StringBuilder head)
    {
        var bytes = new byte[_random.Next(0, 6000)];
        _random.NextBytes(bytes);
        switch (_random.Next(6))
        {
            case 0:
            case 1:
                return [];
            case 2:
                head.Append(CultureInfo.InvariantCulture, $"Content-Length: {bytes.Length}\r\n");
                return bytes;
            case 3:
                head.Append("Transfer-Encoding: chunked\r\n");
                return [.. Encoding.ASCII.GetBytes($"{bytes.Length:x}\r\n"), .. bytes, .. "\r\n0\r\n\r\n"u8];
            case 4:
                head.Append("Transfer-Encoding: chunked\r\n");
                return [.. "zz\r\n"u8, .. bytes];
            default:
                head.Append(CultureInfo.InvariantCulture, $"Content-Length: {Pick(["-1", "abc", "1, 2", "99999999999999999999"])}\r\n");
                return bytes;
        }
    }

    private string Query() => string.Join('&', Enumerable.Range(0, _random.Next(1, 6)).Select(_ => $"{Pick(["ids", "limit", "cursor", "ids[]", "IDS", "x", ""])}={AnyId()}"));

    private string Cursor() => _random.Next(3) switch
    {
        0 => Base64Url(_random.Next(0, 120)),
        1 => Garbage(_random.Next(0, 50)),
        _ => string.Empty,
    };

    private string IdempotencyKey() => _random.Next(4) switch
    {
        0 => Base64Url(_random.Next(1, 48)),
        1 => new string('k', _random.Next(60, 80)),
        2 => Garbage(_random.Next(0, 30)),
        _ => string.Empty,
    };

    private string AnyId() => _random.Next(3) == 0 ? Pick(OddIds) : Id();

    private string Id() => _random.NextInt64(1, _random.Next(3) == 0 ? long.MaxValue : 1000).ToString(CultureInfo.InvariantCulture);

    private string User() => _random.NextInt64(1, 200).ToString(CultureInfo.InvariantCulture);

    /// <summary>Bytes a client should never send in a target or header: controls, high bytes, separators, escapes.</summary>
    private string Garbage(int length)
    {
        var text = new char[length];
        for (var i = 0; i < length; i++)
        {
            text[i] = _random.Next(4) switch
            {
                // Controls but CR and LF: a line break would only end the head early and leave the connection waiting.
                0 => (char)_random.Next(0, 32) is var c && c is '\r' or '\n' ? '\t' : c,
                1 => (char)_random.Next(128, 256),
                2 => Separators[_random.Next(Separators.Length)],
                _ => (char)_random.Next(33, 127),
            };
        }

        return new string(text);
    }

    private string Base64Url(int bytes)
    {
        var data = new byte[bytes];
        _random.NextBytes(data);
        return Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private T Pick<T>(T[] choices) => choices[_random.Next(choices.Length)];

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + $"… ({text.Length} chars)";
}
