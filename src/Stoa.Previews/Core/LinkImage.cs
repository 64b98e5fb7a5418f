namespace Stoa.Previews.Core;

internal sealed record LinkImage(string Url, int? Width = null, int? Height = null, string? Alt = null, string? Type = null);
