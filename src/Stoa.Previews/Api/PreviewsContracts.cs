using System.Text.Json;
using System.Text.Json.Serialization;
using Stoa.Previews.Core;

namespace Stoa.Previews.Api;

public sealed record BatchRequest(IReadOnlyList<string>? Urls);

/// <summary>One URL of a batch: its card, or the error it would have been answered with alone.</summary>
public sealed record BatchItem(string Url, LinkCard? Card, BatchError? Error);

public sealed record BatchError(int Status, string Code, string Detail);

public sealed record BatchResponse(IReadOnlyList<BatchItem> Items);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LinkCard))]
[JsonSerializable(typeof(CachedPreview))]
[JsonSerializable(typeof(BatchRequest))]
[JsonSerializable(typeof(BatchResponse))]
internal sealed partial class PreviewsJsonContext : JsonSerializerContext;
