namespace Stoa.Redis;

/// <summary>When SET writes: always, only if the key does not exist (NX), only if it exists (XX).</summary>
public enum SetCondition
{
    Always,
    IfNotExists,
    IfExists,
}
