using System.Diagnostics;

namespace Likes.Bench.Load;

/// <summary>
/// One status line that rewrites itself in place on a terminal. When the output goes to a file or a pipe it
/// prints a line every few seconds instead, so a captured run stays readable.
/// </summary>
public sealed class LiveLine
{
    private static readonly TimeSpan RedirectedEvery = TimeSpan.FromSeconds(3);
    private readonly bool _inPlace = !Console.IsOutputRedirected;
    private long _lastPrinted;
    private int _width;

    public void Update(string text)
    {
        if (_inPlace)
        {
            Console.Write("\r" + text.PadRight(_width));
            _width = text.Length;
        }
        else if (_lastPrinted == 0 || Stopwatch.GetElapsedTime(_lastPrinted) >= RedirectedEvery)
        {
            Console.WriteLine(text);
            _lastPrinted = Stopwatch.GetTimestamp();
        }
    }

    public void Finish(string text)
    {
        Console.WriteLine(_inPlace ? "\r" + text.PadRight(_width) : text);
        _width = 0;
        _lastPrinted = 0;
    }
}
