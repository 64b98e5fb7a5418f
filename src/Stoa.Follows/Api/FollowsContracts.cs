using System.Text.Json;
using System.Text.Json.Serialization;
using Stoa.Follows.Core;

namespace Stoa.Follows.Api;

internal sealed record FollowListResponse(IReadOnlyList<FollowEntry> Items, string? NextCursor);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FollowCounts))]
[JsonSerializable(typeof(FollowListResponse))]
internal sealed partial class FollowsJsonContext : JsonSerializerContext;
