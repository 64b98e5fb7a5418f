using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Stoa.Foundation.Engine;

/// <summary>
/// Hits and misses of one module's near-cache entries, told apart by the module part of the engine key
/// (<c>{app}:{module}:…</c>, <see cref="EngineKeys"/>). Counted per processor in padded slots, so that the hot read
/// path (a hit is a few tens of nanoseconds) does not bounce one cache line between cores.
/// </summary>
public sealed class NearCacheCounts
{
    private const int Stripes = 16;
    private readonly Stripe[] _hits = new Stripe[Stripes];
    private readonly Stripe[] _misses = new Stripe[Stripes];

    internal NearCacheCounts(string module)
    {
        Module = module;
    }

    /// <summary>The module name from the keys, or <c>other</c> for keys of another form.</summary>
    public string Module { get; }

    public long Hits => Sum(_hits);

    public long Misses => Sum(_misses);

    internal void Hit() => Interlocked.Increment(ref _hits[Thread.GetCurrentProcessorId() & (Stripes - 1)].Value);

    internal void Miss() => Interlocked.Increment(ref _misses[Thread.GetCurrentProcessorId() & (Stripes - 1)].Value);

    private static long Sum(Stripe[] stripes)
    {
        long total = 0;
        for (var i = 0; i < stripes.Length; i++)
        {
            total += Volatile.Read(ref stripes[i].Value);
        }

        return total;
    }

    [StructLayout(LayoutKind.Explicit, Size = 64)]
    private struct Stripe
    {
        [FieldOffset(0)]
        public long Value;
    }
}

/// <summary>The counts of every module seen in one near-cache's keys; bounded, past which keys count as <c>other</c>.</summary>
internal sealed class NearCacheModules
{
    public const string Other = "other";
    private const int MaxModules = 32;
    private readonly ConcurrentDictionary<string, NearCacheCounts> _modules = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, NearCacheCounts>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public NearCacheModules()
    {
        _lookup = _modules.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public IReadOnlyList<NearCacheCounts> All => [.. _modules.Values];

    /// <summary>The counts of the module named in <paramref name="key"/> (<see cref="EngineKeys.ModuleOf"/>).</summary>
    public NearCacheCounts For(string key)
    {
        var module = EngineKeys.ModuleOf(key);
        if (_lookup.TryGetValue(module, out var counts))
        {
            return counts;
        }

        var name = _modules.Count < MaxModules && module.Length > 0 ? module.ToString() : Other;
        return _modules.GetOrAdd(name, static n => new NearCacheCounts(n));
    }
}
