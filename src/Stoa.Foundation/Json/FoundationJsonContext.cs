using System.Text.Json;
using System.Text.Json.Serialization;
using Stoa.Foundation.Health;

namespace Stoa.Foundation.Json;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(Auth.AppResponse))]
[JsonSerializable(typeof(Auth.SetOriginsRequest))]
internal sealed partial class FoundationJsonContext : JsonSerializerContext;
