namespace Stoa.Redis.Protocol;

/// <summary>The RESP3 type of a <see cref="RespValue"/>. Streamed strings and aggregates are reported as their
/// non-streamed type: streaming is a transport detail.</summary>
public enum RespType : byte
{
    /// <summary>The default value of <see cref="RespValue"/>: nothing was read.</summary>
    None = 0,
    SimpleString,
    SimpleError,
    Integer,
    BulkString,
    BulkError,
    Null,
    Boolean,
    Double,
    BigNumber,
    VerbatimString,
    Array,
    Map,
    Set,
    Push,
}
