using System.Net.Sockets;
using System.Text;

namespace Likes.Edge.Tests;

/// <summary>An HTTP/1.1 answer as it came off the socket.</summary>
public sealed record RawResponse(int Status, string Head, string Body);

/// <summary>
/// Requests written byte for byte to a socket, so a test can send what no HTTP client would (bad framing, raw
/// bytes in the target, oversized lines), and read back exactly what the server answered.
/// </summary>
public static class RawHttp
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Sends one request (it should ask for <c>Connection: close</c>) and reads the answer to the end.</summary>
    public static async Task<RawResponse> SendAsync(int port, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        using var timeout = new CancellationTokenSource(ReadTimeout);
        try
        {
            await stream.WriteAsync(request, timeout.Token);
        }
        catch (IOException)
        {
            // The server may answer and close before it read everything (a request refused early).
        }

        using var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, timeout.Token);
        }
        catch (IOException)
        {
            // Reset after the answer: what arrived is what counts.
        }

        var text = Encoding.Latin1.GetString(answer.ToArray());
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = end < 0 ? text : text[..end];
        var status = head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(head.AsSpan(9, 3), out var code) ? code : 0;
        var body = end < 0 ? string.Empty : text[(end + 4)..];
        return new RawResponse(status, head, head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase) ? Unchunk(body) : body);
    }

    /// <summary>The data of a chunked body (size line in hex, data, CRLF; a zero size ends it); whatever is malformed ends it too.</summary>
    private static string Unchunk(string chunked)
    {
        var data = new StringBuilder();
        var at = 0;
        while (at < chunked.Length)
        {
            var line = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (line < 0 || !int.TryParse(chunked.AsSpan(at, line - at), System.Globalization.NumberStyles.HexNumber, null, out var size) || size == 0)
            {
                break;
            }

            data.Append(chunked, line + 2, Math.Min(size, chunked.Length - line - 2));
            at = line + 2 + size + 2;
        }

        return data.ToString();
    }

    public static Task<RawResponse> SendAsync(int port, string request) => SendAsync(port, Encoding.Latin1.GetBytes(request));
}
