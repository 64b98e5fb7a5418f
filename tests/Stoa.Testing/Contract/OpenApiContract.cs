using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Stoa.Testing.Contract;

/// <summary>
/// The server's OpenAPI document as a checker of responses: for an operation (method and route template) and a
/// response (status, media type, body) it answers what breaks the document — a status the operation does not list, a
/// media type its response does not list, or a body its schema refuses (JsonSchema.Net, draft 2020-12, which is
/// OpenAPI 3.1's schema dialect).
/// </summary>
public sealed partial class OpenApiContract
{
    private readonly JsonObject _paths;
    private readonly JsonObject _schemas;
    private readonly ConcurrentDictionary<string, JsonSchema> _compiled = new();
    private int _built;

    public OpenApiContract(string document)
    {
        var root = JsonNode.Parse(document)!.AsObject();
        _paths = root["paths"]!.AsObject();
        _schemas = root["components"]?["schemas"]?.AsObject() ?? [];
    }

    /// <summary>The document's path for an ASP.NET Core route template (<c>/v1/docs/{id:guid}/ops</c> → <c>/v1/docs/{id}/ops</c>).</summary>
    public static string PathOf(string routeTemplate)
    {
        var path = RouteParameter().Replace(routeTemplate, "{$1}");
        path = path.Length > 1 ? path.TrimEnd('/') : path;
        return path.StartsWith('/') ? path : "/" + path;
    }

    /// <summary>Whether the document describes this operation (test-only and undocumented endpoints are not checked).</summary>
    public bool Describes(string method, string path) => Operation(method, path) is not null;

    /// <summary>What in the response breaks the document; empty when it conforms. <paramref name="body"/> is null when not captured (streams).</summary>
    public IReadOnlyList<string> Check(string method, string path, int status, string? contentType, byte[]? body)
    {
        var operation = Operation(method, path);
        if (operation is null)
        {
            return [];
        }

        var responses = operation["responses"]?.AsObject();
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var response = responses?[key] ?? responses?[$"{key[0]}XX"] ?? responses?["default"];
        if (response is null)
        {
            return [$"status {status} is not documented (documented: {string.Join(", ", responses?.Select(r => r.Key) ?? [])})"];
        }

        var content = response["content"]?.AsObject();
        var hasBody = body is null || body.Length > 0;
        if (content is null || content.Count == 0)
        {
            return hasBody && body is not null && contentType is not null
                ? [$"status {status} is documented without a body, but the response has {body.Length} bytes of {contentType}"]
                : [];
        }

        if (!hasBody)
        {
            return [];
        }

        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is null || content[mediaType] is not JsonObject media)
        {
            return [$"media type '{contentType}' is not documented for status {status} (documented: {string.Join(", ", content.Select(c => c.Key))})"];
        }

        if (body is null || media["schema"] is not JsonObject schema || !mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            return [];
        }

        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException e)
        {
            return [$"the {mediaType} body is not JSON: {e.Message}"];
        }

        var compiled = _compiled.GetOrAdd($"{method} {path} {key} {mediaType}", _ => Compile(schema));
        var result = compiled.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid)
        {
            return [];
        }

        var errors = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
            .Distinct()
            .Take(8)
            .ToList();
        var code = instance.ValueKind == JsonValueKind.Object && instance.TryGetProperty("code", out var c) ? $" (code \"{c}\")" : "";
        return [$"the body{code} breaks the schema of status {status} {mediaType}: {string.Join("; ", errors)}"];
    }

    private JsonObject? Operation(string method, string path) =>
        _paths[path]?[method.ToLowerInvariant()] as JsonObject;

    /// <summary>The response schema as a standalone 2020-12 schema: the components become <c>$defs</c>.</summary>
    private JsonSchema Compile(JsonObject schema)
    {
        var standalone = Rewrite(schema.DeepClone()).AsObject();
        standalone["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        standalone["$defs"] = Rewrite(_schemas.DeepClone());
        var id = new Uri($"https://stoa.test/contract/{Interlocked.Increment(ref _built)}");
        var options = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        return JsonSchema.Build(JsonSerializer.SerializeToElement(standalone), options, id);
    }

    private static JsonNode Rewrite(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name == "$ref" && value?.GetValue<string>() is { } reference)
                    {
                        obj["$ref"] = reference.Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
                    }
                    else if (value is not null)
                    {
                        Rewrite(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        Rewrite(item);
                    }
                }

                break;
        }

        return node;
    }

    [GeneratedRegex(@"\{\*{0,2}([A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteParameter();
}
