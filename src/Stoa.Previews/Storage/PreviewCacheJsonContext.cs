using System.Text.Json;
using System.Text.Json.Serialization;
using Stoa.Previews.Core;

namespace Stoa.Previews.Storage;

/// <summary>
/// How answers are stored in the engine. The storage format is the cache's own, apart from the API's contracts, so
/// that neither changes with the other; its options are the ones the API's context had when it also wrote the cache,
/// so entries written before stay readable.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CachedPreview))]
internal sealed partial class PreviewCacheJsonContext : JsonSerializerContext;
