using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Stoa.Docs.Protocol;
using Stoa.Ot;

namespace Stoa.Docs.Api;

/// <summary>
/// <c>POST /v1/docs</c>: the initial text (empty when omitted) and who may open the document: <c>"app"</c> (every user
/// of the app, the default) or <c>"members"</c> (its creator and the users the app's server token lists, also here).
/// </summary>
internal sealed record CreateDocRequest(
    [property: Description("The initial text; empty when omitted.")] string? Text,
    [property: AllowedValues("app", "members"), Description("Who may open it; app when omitted.")] string? Access,
    [property: Description("With access members: the users who may open it besides its creator (server token only).")] IReadOnlyList<string>? Members);

/// <summary>A document at a version.</summary>
internal sealed record DocResponse(Guid Id, long Version, string Text);

/// <summary>A new document, with its access rule.</summary>
internal sealed record CreatedDocResponse(Guid Id, long Version, string Text, string Access, string? CreatedBy);

/// <summary>
/// <c>POST /v1/docs/{id}/ops</c>. The op stays raw JSON here so that a malformed op is answered with
/// <c>op_invalid</c> and the parser's reason rather than a generic <c>invalid_json</c>.
/// </summary>
internal sealed record SubmitOpRequest(
    [property: Required, Range(typeof(long), "0", "9223372036854775807"), Description("The version the op was made at.")] long? BaseVersion,
    [property: Required, Description("A text-unicode op.")] JsonElement Op,
    [property: Required, RegularExpression(ClientIds.Pattern), Description("The editing session's id.")] string? ClientId,
    [property: Required, Range(typeof(long), "0", "9223372036854775807"), Description("The session's op number: (clientId, seq) identifies the op.")] long? Seq);

internal sealed record SubmitOpResponse(long Version, bool Duplicate);

internal sealed record OpResponse(long Version, TextOp Op, string ClientId, long Seq, string? UserId);

internal sealed record OpsResponse(long Version, IReadOnlyList<OpResponse> Ops);

/// <summary><c>GET</c> and <c>PUT /v1/docs/{id}/access</c> (server token): the rule and the listed members.</summary>
internal sealed record DocAccessRequest(
    [property: Required, AllowedValues("app", "members")] string? Access,
    [property: Description("The members (replaces the list); none when omitted.")] IReadOnlyList<string>? Members);

internal sealed record DocAccessResponse(string Access, string? CreatedBy, IReadOnlyList<string> Members);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateDocRequest))]
[JsonSerializable(typeof(DocResponse))]
[JsonSerializable(typeof(CreatedDocResponse))]
[JsonSerializable(typeof(SubmitOpRequest))]
[JsonSerializable(typeof(SubmitOpResponse))]
[JsonSerializable(typeof(OpsResponse))]
[JsonSerializable(typeof(DocAccessRequest))]
[JsonSerializable(typeof(DocAccessResponse))]
internal sealed partial class DocsJsonContext : JsonSerializerContext;
