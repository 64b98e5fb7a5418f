using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Stoa.Previews.Core;

namespace Stoa.Previews.Api;

internal sealed record BatchRequest([property: Required, MinLength(1), MaxLength(PreviewPolicy.MaxBatch)] IReadOnlyList<string>? Urls);

/// <summary>One URL of a batch: its card, or the error it would have been answered with alone.</summary>
internal sealed record BatchItem(string Url, LinkCard? Card, BatchError? Error);

internal sealed record BatchError(int Status, string Code, string Detail);

internal sealed record BatchResponse(IReadOnlyList<BatchItem> Items);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LinkCard))]
[JsonSerializable(typeof(BatchRequest))]
[JsonSerializable(typeof(BatchResponse))]
internal sealed partial class PreviewsJsonContext : JsonSerializerContext;
