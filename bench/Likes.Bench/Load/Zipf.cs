namespace Likes.Bench.Load;

/// <summary>Draws ranks 1..n with probability proportional to 1/rank^s: a few contents get most likes.</summary>
public sealed class Zipf
{
    private readonly double[] _cdf;

    public Zipf(int n, double s = 1.0)
    {
        _cdf = new double[n];
        double sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += 1.0 / Math.Pow(i + 1, s);
            _cdf[i] = sum;
        }

        for (var i = 0; i < n; i++)
        {
            _cdf[i] /= sum;
        }
    }

    public int Next(Random random)
    {
        var i = Array.BinarySearch(_cdf, random.NextDouble());
        return (i < 0 ? ~i : i) + 1;
    }
}
