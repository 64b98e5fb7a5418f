using System.Text.Json.Nodes;

namespace Stoa.HostileSweep;

/// <summary>Reads the operations under <c>/v1</c> from the server's own OpenAPI document, resolving <c>$ref</c> schemas.</summary>
public static class OpenApiReader
{
    private static readonly string[] s_methods = ["get", "post", "put", "patch", "delete"];

    public static IReadOnlyList<ApiOperation> Read(string json)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        var schemas = document["components"]?["schemas"]?.AsObject();
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            if (!path.StartsWith("/v1/", StringComparison.Ordinal) && path != "/v1")
            {
                continue;
            }

            foreach (var method in s_methods)
            {
                if (item![method] is not JsonObject operation)
                {
                    continue;
                }

                var parameters = (operation["parameters"]?.AsArray() ?? new JsonArray()).Select(p => Resolve(p!.AsObject(), schemas)).Select(p =>
                {
                    var schema = p["schema"] is JsonObject s ? Resolve(s, schemas) : null;
                    return new ApiParameter(p["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), TypeOf(schema), schema?["format"]?.GetValue<string>(),
                        schema, p["required"]?.GetValue<bool>() ?? false);
                }).ToList();
                var body = operation["requestBody"]?["content"]?["application/json"]?["schema"] is JsonObject bodySchema
                    ? Resolve(bodySchema, schemas)
                    : null;
                var required = operation["requestBody"]?["required"]?.GetValue<bool>() ?? false;
                var statuses = operation["responses"]?.AsObject().Select(r => r.Key).ToList() ?? [];
                operations.Add(new ApiOperation(method.ToUpperInvariant(), path, parameters, body, required)
                {
                    WebSocketOnly = statuses.Contains("101") && !statuses.Any(s => s.StartsWith('2')),
                });
            }
        }

        return operations;
    }

    /// <summary>The first non-null type of a schema whose "type" may be a list (["null", "integer", "string"]).</summary>
    public static string? TypeOf(JsonObject? schema) => schema?["type"] switch
    {
        JsonValue value => value.GetValue<string>(),
        JsonArray types => types.Select(t => t!.GetValue<string>()).Where(t => t != "null")
            .OrderBy(t => t switch { "integer" => 0, "number" => 1, "boolean" => 2, "array" => 3, "object" => 4, _ => 5 })
            .FirstOrDefault(),
        _ => schema?["properties"] is not null ? "object" : null,
    };

    /// <summary>Follows <c>$ref</c> and unwraps <c>oneOf [null, X]</c>, returning a detached copy with nested properties resolved.</summary>
    public static JsonObject Resolve(JsonObject schema, JsonObject? schemas, int depth = 0)
    {
        if (depth > 8)
        {
            return new JsonObject();
        }

        if (schema["$ref"]?.GetValue<string>() is { } reference)
        {
            var name = reference[(reference.LastIndexOf('/') + 1)..];
            return schemas?[name] is JsonObject target ? Resolve(target, schemas, depth + 1) : new JsonObject();
        }

        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray alternatives && alternatives.FirstOrDefault(a => a is JsonObject o && TypeOfOrRef(o) != "null") is JsonObject chosen)
        {
            return Resolve(chosen, schemas, depth + 1);
        }

        var copy = schema.DeepClone().AsObject();
        if (copy["properties"] is JsonObject properties)
        {
            foreach (var name in properties.Select(p => p.Key).ToList())
            {
                properties[name] = properties[name] is JsonObject property ? Resolve(property, schemas, depth + 1) : new JsonObject();
            }
        }

        if (copy["items"] is JsonObject items)
        {
            copy["items"] = Resolve(items, schemas, depth + 1);
        }

        return copy;
    }

    private static string? TypeOfOrRef(JsonObject schema) => schema["$ref"] is not null ? "ref" : TypeOf(schema);
}
