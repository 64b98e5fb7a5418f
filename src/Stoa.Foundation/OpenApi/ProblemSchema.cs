using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Stoa.Foundation.Errors;

namespace Stoa.Foundation.OpenApi;

/// <summary>
/// The <c>Problem</c> component: RFC 9457 problem details as <see cref="ProblemResponses"/> writes them, and the
/// per-operation schema that narrows its <c>code</c> to the codes the operation declares.
/// </summary>
internal static class ProblemSchema
{
    public const string ComponentId = "Problem";
    public const string MediaType = "application/problem+json";

    public static OpenApiSchema Component() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem. `code` is stable: clients switch on it, never on `title` or `detail`.",
        Required = new HashSet<string> { "status", "title", ProblemResponses.CodeKey, ProblemResponses.TraceIdKey },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "A URI naming the HTTP status's section of RFC 9110." },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The status's reason phrase." },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "400", Maximum = "599" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "What went wrong, for a person; may change between releases." },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            [ProblemResponses.CodeKey] = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = "^[a-z][a-z0-9_]*$", Description = "The stable error code." },
            [ProblemResponses.TraceIdKey] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The trace id the server's logs carry for this request." },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "With `validation_failed`: the messages per field.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
        },
    };

    /// <summary>The component with <c>code</c> restricted to <paramref name="codes"/>; the first is the example.</summary>
    public static OpenApiMediaType For(OpenApiDocument document, int status, IReadOnlyCollection<string> codes) => new()
    {
        Schema = new OpenApiSchema
        {
            AllOf =
            [
                new OpenApiSchemaReference(ComponentId, document),
                new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        [ProblemResponses.CodeKey] = new OpenApiSchema
                        {
                            Type = JsonSchemaType.String,
                            Enum = [.. codes.Select(c => (JsonNode)JsonValue.Create(c))],
                        },
                    },
                },
            ],
        },
        Example = new JsonObject
        {
            ["type"] = "https://tools.ietf.org/html/rfc9110",
            ["title"] = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
            ["status"] = status,
            ["detail"] = "What went wrong, in words.",
            [ProblemResponses.CodeKey] = codes.First(),
            [ProblemResponses.TraceIdKey] = "4bf92f3577b34da6a3ce929d0e0e4736",
        },
    };
}
