namespace Stoa.Previews.Core;

public sealed record LinkAudio(string Url, string? Type = null);
