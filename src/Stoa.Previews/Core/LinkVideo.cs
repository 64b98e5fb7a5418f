namespace Stoa.Previews.Core;

public sealed record LinkVideo(string Url, int? Width = null, int? Height = null, string? Type = null);
