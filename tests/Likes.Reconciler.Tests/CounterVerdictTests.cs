using FsCheck.Xunit;
using Likes.Shared;
using Xunit;

namespace Likes.Reconciler.Tests;

/// <summary>The classification, and a model of the race it exists for (pure: no servers).</summary>
public class CounterVerdictTests
{
    private static CountRow Row(long count, long version, bool settled = false) => new(1, new CounterValue(count, version), settled);

    [Theory]
    [InlineData(null, 5, 3, false, CounterVerdict.Missing)]
    [InlineData("5:3", 5, 3, true, CounterVerdict.InSync)]
    [InlineData("4:2", 5, 3, false, CounterVerdict.Lag)]
    [InlineData("4:2", 5, 3, true, CounterVerdict.LostWrite)]
    [InlineData("4:3", 5, 3, false, CounterVerdict.WrongCount)]
    [InlineData("5:4", 5, 3, false, CounterVerdict.VersionAhead)]
    [InlineData("five", 5, 3, false, CounterVerdict.Unreadable)]
    public void Classifies(string? redis, long count, long version, bool settled, CounterVerdict expected)
        => Assert.Equal(expected, CounterVerdicts.Classify(redis, Row(count, version, settled)));

    [Theory]
    [InlineData(CounterVerdict.InSync, CounterRepair.None, false)]
    [InlineData(CounterVerdict.Missing, CounterRepair.ReadThrough, false)]
    [InlineData(CounterVerdict.Lag, CounterRepair.MoveForward, false)]
    [InlineData(CounterVerdict.LostWrite, CounterRepair.Restore, true)]
    [InlineData(CounterVerdict.WrongCount, CounterRepair.Replace, true)]
    [InlineData(CounterVerdict.VersionAhead, CounterRepair.Replace, true)]
    [InlineData(CounterVerdict.Unreadable, CounterRepair.Replace, true)]
    public void EachVerdict_HasOneRepair_AndOnlyLostWritesAndImpossibleValuesAreDrift(CounterVerdict verdict, CounterRepair repair, bool drift)
    {
        Assert.Equal(repair, verdict.RepairOf());
        Assert.Equal(drift, verdict.RepairOf().IsDrift());
    }

    /// <summary>
    /// A model of one content under load: the persister commits (version + 1) and later writes Redis set-if-newer,
    /// deliveries late and out of order; a reconciler reads Redis, later PostgreSQL, later repairs, with any of those
    /// interleaved between its steps; "settled" is arbitrary (timing is not modelled, so safety cannot rest on it).
    /// Starting from a correct or missing counter it never takes a legitimate value for corruption (the verdicts
    /// that replace by compare-and-set), Redis only ever holds a committed value and never goes back, and once
    /// everything is delivered it holds the newest. (Lag versus lost write depends on time, which the grace decides.)
    /// </summary>
    [Property(MaxTest = 300)]
    public bool UnderAnyInterleaving_LegitimateWritesAreNeverTakenForCorruption_AndRedisOnlyHoldsCommittedValues(int seed)
    {
        var world = new World(seed, redis: seed % 3 == 0 ? null : "0:1");
        world.Run(steps: 200);
        return world.DriftReported == 0 && world.Violations == 0 && world.Settle() == world.Newest;
    }

    /// <summary>Starting from a drifted counter (wrong count, or a version PostgreSQL never had), the same holds once repaired.</summary>
    [Property(MaxTest = 300)]
    public bool FromAnyDrift_RepairsConverge_WithoutEverWritingAnUncommittedValue(int seed)
    {
        var world = new World(seed, redis: seed % 2 == 0 ? "7:1" : "3:99", checkFromStart: false);
        world.Run(steps: 200);
        return world.Violations == 0 && world.Settle() == world.Newest;
    }

    private sealed class World(int seed, string? redis, bool checkFromStart = true)
    {
        private readonly Random _random = new(seed);
        private readonly List<CounterValue> _committed = [new(0, 1)];
        private readonly List<CounterValue> _inFlight = [];
        private string? _redis = redis;
        private bool _clean = checkFromStart;
        private (int Phase, string? Read, CountRow Row) _reconciler;

        public int DriftReported { get; private set; }

        public int Violations { get; private set; }

        public string Newest => _committed[^1].ToString();

        public void Run(int steps)
        {
            for (var i = 0; i < steps; i++)
            {
                switch (_random.Next(3))
                {
                    case 0: Commit(); break;
                    case 1: Deliver(); break;
                    default: ReconcilerStep(); break;
                }
            }
        }

        /// <summary>Delivers what is still in flight, then runs whole reconciler passes: Redis ends at the newest commit.</summary>
        public string? Settle()
        {
            while (_inFlight.Count > 0)
            {
                Deliver();
            }

            for (var i = 0; i < 6; i++)
            {
                ReconcilerStep();
            }

            return _redis;
        }

        private void Commit()
        {
            var last = _committed[^1];
            var next = new CounterValue(Math.Max(0, last.Count + (_random.Next(3) == 0 ? -1 : 1)), last.Version + 1);
            _committed.Add(next);
            _inFlight.Add(next);
        }

        private void Deliver()
        {
            if (_inFlight.Count == 0)
            {
                return;
            }

            var i = _random.Next(_inFlight.Count);
            SetIfNewer(_inFlight[i]);
            _inFlight.RemoveAt(i);
        }

        private void ReconcilerStep()
        {
            switch (_reconciler.Phase)
            {
                case 0:
                    _reconciler = (1, _redis, default);
                    break;
                case 1:
                    _reconciler = (2, _reconciler.Read, new CountRow(1, _committed[^1], _random.Next(2) == 0));
                    break;
                default:
                    var repair = CounterVerdicts.Classify(_reconciler.Read, _reconciler.Row).RepairOf();
                    if (repair == CounterRepair.Replace && _clean)
                    {
                        DriftReported++;
                    }

                    if (repair == CounterRepair.Replace)
                    {
                        if (_redis == _reconciler.Read)
                        {
                            Write(_reconciler.Row.Value.ToString(), monotonic: false);
                        }

                        SetIfNewer(_committed[^1]);   // the follow-up re-read of the row
                    }
                    else if (repair is CounterRepair.MoveForward or CounterRepair.Restore)
                    {
                        SetIfNewer(_reconciler.Row.Value);
                    }

                    _reconciler = (0, null, default);
                    break;
            }
        }

        private void SetIfNewer(CounterValue value)
        {
            if (!CounterValue.TryParse(_redis, out var current) || current.Version < value.Version)
            {
                Write(value.ToString(), monotonic: true);
            }
        }

        private void Write(string value, bool monotonic)
        {
            if (!CounterValue.TryParse(value, out var v) || !_committed.Contains(v))
            {
                Violations++;
            }

            if (monotonic && _clean && CounterValue.TryParse(_redis, out var before) && before.Version > v.Version)
            {
                Violations++;
            }

            _redis = value;
            _clean = true;
        }
    }
}
