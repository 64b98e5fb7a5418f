namespace Stoa.HostileSweep;

/// <summary>What a case expects beyond the rules every response obeys (no 5xx, every error a problem+json with a code).</summary>
public enum Expectation
{
    /// <summary>Any status, as long as the general rules hold.</summary>
    Any,

    /// <summary>Forged or foreign credentials: the request must be refused (4xx).</summary>
    Refused,

    /// <summary>Another app's resource id: anything but success (tenant isolation).</summary>
    NotFound,

    /// <summary>A body past the size limit: 413.</summary>
    TooLarge,

    /// <summary>Every value inside the document's constraints: accepted (<see cref="ContractFuzz.Check"/>).</summary>
    Valid,

    /// <summary>One value breaking one of the document's constraints: refused with a 4xx.</summary>
    Invalid,
}

/// <summary>One hostile request: which operation, what was changed, and the request itself.</summary>
public sealed record HostileCase(
    ApiOperation Operation,
    string Name,
    string Method,
    string PathAndQuery,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    byte[]? Body = null,
    string? ContentType = null,
    bool ChunkedBody = false,
    Expectation Expectation = Expectation.Any)
{
    public string Summary
    {
        get
        {
            var target = PathAndQuery.Length > 160 ? PathAndQuery[..160] + $"…({PathAndQuery.Length} chars)" : PathAndQuery;
            var body = Body is null ? "" : $" body={BodySummary()} type={ContentType ?? "(none)"}";
            return $"{Method} {target}{body}";
        }
    }

    private string BodySummary()
    {
        var text = System.Text.Encoding.UTF8.GetString(Body!, 0, Math.Min(Body!.Length, 80)).ReplaceLineEndings(" ");
        return Body.Length > 80 ? $"{text}…({Body.Length} bytes)" : text;
    }
}
