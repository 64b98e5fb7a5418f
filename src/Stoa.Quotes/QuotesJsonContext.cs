using System.Text.Json;
using System.Text.Json.Serialization;
using Stoa.Quotes.Api;
using Stoa.Quotes.Core;
using Stoa.Quotes.Storage;

namespace Stoa.Quotes;

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Quote))]
[JsonSerializable(typeof(QuoteWrite))]
[JsonSerializable(typeof(QuoteView))]
[JsonSerializable(typeof(QuoteListView))]
[JsonSerializable(typeof(PutQuoteRequest))]
internal sealed partial class QuotesJsonContext : JsonSerializerContext;
