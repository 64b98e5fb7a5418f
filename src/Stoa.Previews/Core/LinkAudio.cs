namespace Stoa.Previews.Core;

internal sealed record LinkAudio(string Url, string? Type = null);
