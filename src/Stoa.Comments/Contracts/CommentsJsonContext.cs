using System.Text.Json;
using System.Text.Json.Serialization;

namespace Stoa.Comments.Contracts;

/// <summary>The module's HTTP and event JSON, camelCase, without reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateCommentRequest))]
[JsonSerializable(typeof(EditCommentRequest))]
[JsonSerializable(typeof(VoteRequest))]
[JsonSerializable(typeof(CommentResponse))]
[JsonSerializable(typeof(CommentListResponse))]
[JsonSerializable(typeof(ThreadResponse))]
[JsonSerializable(typeof(CountsResponse))]
[JsonSerializable(typeof(ThreadEvent))]
internal sealed partial class CommentsJsonContext : JsonSerializerContext;
