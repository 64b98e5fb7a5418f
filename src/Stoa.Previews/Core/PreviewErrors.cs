namespace Stoa.Previews.Core;

/// <summary>
/// The closed set of error codes the previews module answers with. The API layer turns a
/// <see cref="PreviewException"/> into problem+json using <see cref="PreviewException.Code"/> and
/// <see cref="PreviewException.HttpStatus"/>; the codes are part of the public contract, so never rename one.
/// </summary>
internal static class PreviewErrors
{
    /// <summary>
    /// 400: not an absolute URL, an unparseable host, or a host that looks numeric but is no IPv4 address. Raised for a
    /// redirect hop too when its absolute Location has such a host.
    /// </summary>
    public const string InvalidUrl = "invalid_url";

    /// <summary>422: the URL (or a redirect hop) names a forbidden scheme, port, credential, host name or address.</summary>
    public const string UrlNotAllowed = "url_not_allowed";

    /// <summary>504: the upstream did not answer (headers and body) within the deadline.</summary>
    public const string UpstreamTimeout = "upstream_timeout";

    /// <summary>502: DNS failure, connection refused or reset, TLS failure.</summary>
    public const string UpstreamUnreachable = "upstream_unreachable";

    /// <summary>502: the upstream answered with a non-success status (carried in <see cref="PreviewException.UpstreamStatus"/>).</summary>
    public const string UpstreamStatus = "upstream_status";

    /// <summary>502: the body decompresses beyond the allowed ratio (a compression bomb).</summary>
    public const string UpstreamTooLarge = "upstream_too_large";

    /// <summary>502: more redirects than allowed (a redirect without a usable Location is <see cref="UpstreamStatus"/>).</summary>
    public const string UpstreamTooManyRedirects = "upstream_too_many_redirects";

    /// <summary>503: the host failed repeatedly and is not contacted until the breaker's cool-down ends (see RetryAfter).</summary>
    public const string UpstreamCircuitOpen = "upstream_circuit_open";

    /// <summary>The HTTP status the API answers with for <paramref name="code"/>.</summary>
    public static int HttpStatusOf(string code) => code switch
    {
        InvalidUrl => 400,
        UrlNotAllowed => 422,
        UpstreamTimeout => 504,
        UpstreamUnreachable => 502,
        UpstreamStatus => 502,
        UpstreamTooLarge => 502,
        UpstreamTooManyRedirects => 502,
        UpstreamCircuitOpen => 503,
        _ => 500,
    };

    internal static string DefaultMessage(string code) => code switch
    {
        InvalidUrl => "The URL is not a valid absolute http or https URL.",
        UrlNotAllowed => "The URL is not allowed: it names a forbidden scheme, port, host or address.",
        UpstreamTimeout => "The site did not answer in time.",
        UpstreamUnreachable => "The site could not be reached.",
        UpstreamStatus => "The site answered with an error status.",
        UpstreamTooLarge => "The site's response is too large to preview.",
        UpstreamTooManyRedirects => "The site redirected too many times.",
        UpstreamCircuitOpen => "The site is failing; previews for it are paused for a while.",
        _ => "The preview failed.",
    };
}
