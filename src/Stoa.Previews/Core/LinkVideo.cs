namespace Stoa.Previews.Core;

internal sealed record LinkVideo(string Url, int? Width = null, int? Height = null, string? Type = null);
