namespace Stoa.Previews.Extraction;

/// <summary>
/// A <c>&lt;meta&gt;</c> with content, under one of its keys (property, name or itemprop, lower-cased).
/// <see cref="Media"/> is its media query (theme-color per color scheme).
/// </summary>
internal readonly record struct MetaTag(string Key, string Content, string? Media = null);

/// <summary>A <c>&lt;link&gt;</c> with an href: rel tokens lower-cased, href as written.</summary>
internal sealed record LinkTag(string[] Rel, string Href, string? Type, string? Sizes, string? Title = null);
