namespace Stoa.Previews.Extraction;

/// <summary>A <c>&lt;meta&gt;</c> element's key (property, name or itemprop, lower-cased) and content, in document order.</summary>
internal readonly record struct MetaTag(string Key, string Content);
