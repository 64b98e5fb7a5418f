using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Stoa.Docs.Api;

/// <summary>
/// The text-unicode op grammar (docs/docs-protocol.md, <c>Stoa.Ot.TextOp.Parse</c>) as the <c>TextOp</c> component,
/// used by both the op a client submits and the ops the server returns. The generator cannot see it: the op is read
/// as raw JSON on submit (so that a bad op is <c>op_invalid</c> with the parser's reason) and written by a converter.
/// </summary>
internal sealed class TextOpSchema : IOpenApiDocumentTransformer
{
    public const string ComponentId = "TextOp";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        var schemas = document.Components?.Schemas;
        if (schemas is null || !schemas.ContainsKey(nameof(SubmitOpRequest)))
        {
            return Task.CompletedTask;
        }

        schemas[ComponentId] = Grammar();
        if (schemas[nameof(SubmitOpRequest)] is OpenApiSchema submit && submit.Properties is { } properties)
        {
            properties["op"] = new OpenApiSchemaReference(ComponentId, document);
        }

        schemas.Remove("JsonElement");
        return Task.CompletedTask;
    }

    private static OpenApiSchema Grammar()
    {
        var positive = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" };
        var text = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Array,
            Description = "A text-unicode op: components walk the document from its start. A positive integer skips that many "
                + "code points, a string inserts it, `{\"d\": n}` deletes n code points and `{\"d\": \"text\"}` deletes that text. "
                + "Positions and lengths count Unicode code points.",
            Items = new OpenApiSchema
            {
                OneOf =
                [
                    new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Description = "Skip." },
                    new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, Description = "Insert." },
                    new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Description = "Delete.",
                        Required = new HashSet<string> { "d" },
                        AdditionalProperties = new OpenApiSchema { Not = new OpenApiSchema() },
                        Properties = new Dictionary<string, IOpenApiSchema> { ["d"] = new OpenApiSchema { OneOf = [positive, text] } },
                    },
                ],
            },
            Examples = [new System.Text.Json.Nodes.JsonArray(5, " world", new System.Text.Json.Nodes.JsonObject { ["d"] = 2 })],
        };
    }
}
