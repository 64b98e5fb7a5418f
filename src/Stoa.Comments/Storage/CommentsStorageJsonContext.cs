using System.Text.Json;
using System.Text.Json.Serialization;
using Stoa.Comments.Core;

namespace Stoa.Comments.Storage;

/// <summary>The link cards column and the cached pages, serialized without reflection.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(LinkCardSummary[]))]
[JsonSerializable(typeof(CommentPage))]
internal sealed partial class CommentsStorageJsonContext : JsonSerializerContext;
