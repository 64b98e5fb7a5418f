namespace Stoa.Previews.Fetching;

/// <summary>
/// The final (non-redirect, 2xx) answer of an upstream. <see cref="Body"/> is read only for HTML pages and oEmbed
/// documents; other media are described from their headers alone.
/// </summary>
internal sealed record UpstreamResponse(
    Uri FinalUrl,
    int StatusCode,
    string? MediaType,
    string? Charset,
    long? ContentLength,
    string? FileName,
    byte[]? Body,
    bool Truncated,
    TimeSpan? MaxAge)
{
    public bool IsHtml => MediaType is null or "text/html" or "application/xhtml+xml";
}
