namespace Stoa.Previews.Fetching;

internal enum FetchPurpose
{
    /// <summary>The page being previewed: HTML bodies are read (up to the cap), other media are not.</summary>
    Page,

    /// <summary>An oEmbed document: a small JSON body.</summary>
    OEmbed,

    /// <summary>A web app manifest, read for its icons: a small JSON body.</summary>
    Manifest,
}
