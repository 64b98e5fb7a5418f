using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Stoa.Foundation.OpenApi;

/// <summary>
/// An example for every JSON request body and success response that has none, made from its schema: the first enum
/// value, the minimum, a sample per format and per well-known field name. Made from the schema, so it cannot drift from
/// it (Redocly's no-invalid-media-type-examples rule checks each one against its schema).
/// </summary>
internal sealed class ExamplesTransformer : IOpenApiDocumentTransformer
{
    private static readonly Dictionary<string, string> s_samples = new(StringComparer.Ordinal)
    {
        ["symbol"] = "AAPL",
        ["currency"] = "USD",
        ["source"] = "market",
        ["clientId"] = "tab-7f3a",
        ["threadId"] = "post-42",
        ["userId"] = "alice",
        ["authorId"] = "alice",
        ["createdBy"] = "alice",
        ["url"] = "https://example.com/article",
        ["body"] = "Nice write-up, thanks!",
        ["html"] = "<p>Nice write-up, thanks!</p>",
        ["text"] = "Hello, world",
        ["name"] = "My app",
        ["title"] = "An article",
        ["origin"] = "https://app.example.com",
    };

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.ToList() ?? []))
        {
            if (operation.RequestBody?.Content?.TryGetValue("application/json", out var request) == true)
            {
                Fill(request, document);
            }

            foreach (var (status, response) in operation.Responses ?? new OpenApiResponses())
            {
                if (status.StartsWith('2') && response.Content?.TryGetValue("application/json", out var media) == true)
                {
                    Fill(media, document);
                }
            }
        }

        return Task.CompletedTask;
    }

    private static void Fill(OpenApiMediaType media, OpenApiDocument document)
    {
        if (media.Example is null && media.Examples is not { Count: > 0 } && media.Schema is { } schema)
        {
            media.Example = Sample(schema, null, 0, document);
        }
    }

    private static JsonNode? Sample(IOpenApiSchema schema, string? name, int depth, OpenApiDocument document)
    {
        // References are followed by hand: the document is still being put together, so they need not resolve yet.
        if (schema is OpenApiSchemaReference { Reference.Id: { } id } && document.Components?.Schemas?.TryGetValue(id, out var target) == true)
        {
            schema = target;
        }

        if (schema.Examples is { Count: > 0 } examples)
        {
            return examples[0]?.DeepClone();
        }

        if (schema.Enum is { Count: > 0 } values)
        {
            return values[0]?.DeepClone();
        }

        if (schema.AllOf is { Count: > 0 } parts)
        {
            var merged = new JsonObject();
            foreach (var part in parts)
            {
                if (Sample(part, name, depth, document) is JsonObject piece)
                {
                    foreach (var (key, value) in piece)
                    {
                        merged[key] = value?.DeepClone();
                    }
                }
            }

            return merged;
        }

        if ((schema.OneOf ?? schema.AnyOf) is { Count: > 0 } alternatives)
        {
            return Sample(alternatives.FirstOrDefault(a => a.Type != JsonSchemaType.Null) ?? alternatives[0], name, depth, document);
        }

        var type = (schema.Type ?? 0) & ~JsonSchemaType.Null;
        if (type.HasFlag(JsonSchemaType.Object) || schema.Properties is { Count: > 0 })
        {
            var result = new JsonObject();
            foreach (var (property, propertySchema) in schema.Properties ?? new Dictionary<string, IOpenApiSchema>())
            {
                // Recursive types (a comment's replies) stop after one level; optional fields are shown too.
                if (depth < 3 || schema.Required?.Contains(property) == true)
                {
                    result[property] = Sample(propertySchema, property, depth + 1, document);
                }
            }

            return result;
        }

        if (type.HasFlag(JsonSchemaType.Array))
        {
            return depth < 3 && schema.Items is { } items ? new JsonArray(Sample(items, Singular(name), depth + 1, document)) : new JsonArray();
        }

        if (type.HasFlag(JsonSchemaType.Integer) || type.HasFlag(JsonSchemaType.Number))
        {
            var minimum = decimal.TryParse(schema.Minimum, CultureInfo.InvariantCulture, out var min) ? min : (decimal?)null;
            var maximum = decimal.TryParse(schema.Maximum, CultureInfo.InvariantCulture, out var max) ? max : (decimal?)null;
            decimal value = type.HasFlag(JsonSchemaType.Integer) ? 1 : 187.25m;
            value = Math.Max(value, minimum ?? value);
            value = Math.Min(value, maximum ?? value);
            return type.HasFlag(JsonSchemaType.Integer) ? JsonValue.Create((long)Math.Ceiling(value)) : JsonValue.Create(value);
        }

        if (type.HasFlag(JsonSchemaType.Boolean))
        {
            return JsonValue.Create(false);
        }

        if (type.HasFlag(JsonSchemaType.String) || type == 0)
        {
            return JsonValue.Create(schema.Format switch
            {
                "uuid" => "3f2b8c1e-9a4d-4e6b-8f2a-1c5d7e9b0a42",
                "date-time" => "2026-12-06T12:00:00Z",
                "uri" => "https://example.com/article",
                _ => name is not null && s_samples.TryGetValue(name, out var sample) ? sample : "text",
            });
        }

        return null;
    }

    private static string? Singular(string? name) => name switch
    {
        "urls" => "url",
        "members" => "userId",
        "notFound" => "symbol",
        "origins" or "allowedOrigins" => "origin",
        _ => name,
    };
}
