using System.Text.Json.Nodes;

namespace Stoa.HostileSweep;

/// <summary>
/// Plausible values, so that each hostile case changes one thing in an otherwise valid request and reaches the code
/// behind the first check. Names are the API's own (threadId, symbol…); unknown names get generic values.
/// URLs are loopback: refused by the previews SSRF policy without any network traffic.
/// </summary>
public static class SampleValues
{
    public const string Url = "http://127.0.0.1/sweep";

    public static string PathValue(ApiParameter parameter, Guid? ownId) => parameter.Name switch
    {
        _ when parameter.Format == "uuid" => (ownId ?? Guid.NewGuid()).ToString(),
        "threadId" => "sweep-thread",
        "userId" => "sweep-user",
        "symbol" => "AAPL",
        _ when parameter.Type is "integer" or "number" => "1",
        _ => "sweep",
    };

    /// <summary>A plausible query value, or null to leave the parameter out.</summary>
    public static string? QueryValue(ApiParameter parameter) => parameter.Name switch
    {
        "url" => Url,
        "symbols" => "AAPL,MSFT",
        "limit" => "10",
        "from" => "0",
        "sort" => "new",
        "refresh" => "false",
        "clientId" => "sweep-client",
        _ => null,
    };

    /// <summary>A valid-looking body for the schema.</summary>
    public static JsonNode? Body(JsonObject schema) => Value(schema, name: "", depth: 0);

    public static JsonNode? Value(JsonObject schema, string name, int depth)
    {
        if (depth > 6)
        {
            return null;
        }

        switch (name)
        {
            case "op":
                return new JsonArray("sweep ");
            case "urls":
                return new JsonArray(Url);
            case "url":
                return Url;
            case "currency":
                return "USD";
            case "clientId":
                return "sweep-client";
            case "parentId":
                return null;
            case "value":
                return 1;
            case "seq":
                return 1;
            case "baseVersion":
                return 0;
        }

        var format = schema["format"]?.GetValue<string>();
        switch (OpenApiReader.TypeOf(schema))
        {
            case "object":
                var body = new JsonObject();
                foreach (var (property, propertySchema) in schema["properties"]?.AsObject() ?? new JsonObject())
                {
                    body[property] = Value(propertySchema as JsonObject ?? new JsonObject(), property, depth + 1);
                }

                return body;
            case "array":
                return new JsonArray(Value(schema["items"] as JsonObject ?? new JsonObject(), "", depth + 1));
            case "integer":
                return 1;
            case "number":
                return 1.5;
            case "boolean":
                return false;
            case "string" when format == "uuid":
                return Guid.NewGuid().ToString();
            case "string" when format == "date-time":
                return DateTimeOffset.UtcNow.ToString("O");
            case "string":
                return "sweep text";
            default:
                // An untyped schema (a JsonElement field): a string is the most common shape.
                return "sweep";
        }
    }
}
