using System.Text.Json;
using System.Text.Json.Serialization;
using Stoa.Ot;

namespace Stoa.Docs.Api;

/// <summary><c>POST /v1/docs</c>: the initial text (empty when omitted).</summary>
internal sealed record CreateDocRequest(string? Text);

/// <summary>A document at a version.</summary>
internal sealed record DocResponse(Guid Id, long Version, string Text);

/// <summary>
/// <c>POST /v1/docs/{id}/ops</c>. The op stays raw JSON here so that a malformed op is answered with
/// <c>op_invalid</c> and the parser's reason rather than a generic <c>invalid_json</c>.
/// </summary>
internal sealed record SubmitOpRequest(long? BaseVersion, JsonElement Op, string? ClientId, long? Seq);

internal sealed record SubmitOpResponse(long Version, bool Duplicate);

internal sealed record OpResponse(long Version, TextOp Op, string ClientId, long Seq, string? UserId);

internal sealed record OpsResponse(long Version, IReadOnlyList<OpResponse> Ops);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateDocRequest))]
[JsonSerializable(typeof(DocResponse))]
[JsonSerializable(typeof(SubmitOpRequest))]
[JsonSerializable(typeof(SubmitOpResponse))]
[JsonSerializable(typeof(OpsResponse))]
internal sealed partial class DocsJsonContext : JsonSerializerContext;
