using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Stoa.HostileSweep;

/// <summary>
/// The sweep's contract pass: per operation, random requests made from the OpenAPI document's own constraints (types,
/// minimum/maximum, lengths, patterns, enums, required fields). A valid request (every value inside its schema) must be
/// accepted: a 2xx, or a 4xx about the resource rather than the input (unknown id, conflict, forbidden…), never one of
/// the input refusals (<see cref="s_inputRefusals"/>). An invalid request (one value breaking one constraint) must be
/// refused with a 4xx. Values are checked against their schema with JsonSchema.Net before they are sent, so a finding is
/// a disagreement between the document and the server. Deterministic for a seed, which the report prints.
/// </summary>
public sealed class ContractFuzz(SeededIds ids, int seed)
{
    public const int ValidPerOperation = 12;
    public const int InvalidPerOperation = 12;

    /// <summary>Codes that say the input itself is wrong: a valid request must never get one.</summary>
    private static readonly string[] s_inputRefusals =
        ["validation_failed", "bad_request", "invalid_json", "invalid_character", "unsupported_media_type", "payload_too_large"];

    /// <summary>Rules between values that a schema cannot state; each is in the operation's description.</summary>
    private static readonly (string Operation, string Detail)[] s_crossFieldRules =
    [
        ("GET /v1/threads/{threadId}/comments", "limit × replies × depth"),
    ];

    /// <summary>Opaque values only the server makes (a page cursor): any other value is refused, so valid requests leave them out.</summary>
    private static readonly string[] s_opaque = ["cursor"];

    private readonly Dictionary<string, JsonSchema> _compiled = [];

    public IEnumerable<HostileCase> For(ApiOperation operation, IReadOnlyList<KeyValuePair<string, string>> credentials)
    {
        var random = new Random(seed ^ StableHash(operation.ToString()));
        for (var i = 0; i < ValidPerOperation && !operation.WebSocketOnly; i++)
        {
            if (ValidRequest(operation, random) is { } request)
            {
                yield return Case(operation, $"contract valid #{i} (seed {seed})", credentials, request, Expectation.Valid);
            }
        }

        var slots = Slots(operation).ToList();
        for (var i = 0; i < InvalidPerOperation && slots.Count > 0; i++)
        {
            var slot = slots[random.Next(slots.Count)];
            if (ValidRequest(operation, random) is not { } request || Break(slot, request, random) is not { } broken)
            {
                continue;
            }

            yield return Case(operation, $"contract invalid {slot.Kind} {slot.Name}: {broken} (seed {seed})", credentials, request, Expectation.Invalid);
        }
    }

    /// <summary>The rule a response to a contract case breaks, or null; <paramref name="body"/> is the problem body of an error.</summary>
    public static string? Check(HostileCase hostile, int status, string body)
    {
        if (hostile.Expectation == Expectation.Invalid)
        {
            return status is >= 400 and < 500 ? null : "a request breaking the document's constraints was not refused with a 4xx";
        }

        if (hostile.Expectation != Expectation.Valid || status < 400)
        {
            return null;
        }

        var code = ProblemCode(body);
        var crossField = s_crossFieldRules.Any(r => r.Operation == hostile.Operation.ToString() && body.Contains(r.Detail, StringComparison.Ordinal));
        // A 5xx is judged by the sweep's own rule (previews' upstream failures are real answers, anything else is not).
        return code is null || !s_inputRefusals.Contains(code) || crossField
            ? null
            : $"a request the document says is valid was refused ({code ?? "no code"})";
    }

    private sealed record Request(Dictionary<string, string> Path, Dictionary<string, string> Query, JsonObject? Body);

    private sealed record Slot(string Kind, string Name, JsonObject Schema, bool Required);

    private Request? ValidRequest(ApiOperation operation, Random random)
    {
        var path = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in operation.PathParameters)
        {
            var own = parameter.Format == "uuid" && random.Next(2) == 0 ? ids.Own(operation.PathTemplate, parameter.Name) : null;
            var value = own?.ToString() ?? Text(Valid(parameter.Schema ?? [], random));
            if (value is null)
            {
                return null;
            }

            path[parameter.Name] = value;
        }

        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in operation.QueryParameters.Where(p => !s_opaque.Contains(p.Name)))
        {
            if (!parameter.Required && random.Next(2) == 0)
            {
                continue;
            }

            if (Text(Valid(parameter.Schema ?? [], random)) is not { } value)
            {
                return null;
            }

            query[parameter.Name] = value;
        }

        JsonObject? body = null;
        if (operation.BodySchema is { } schema)
        {
            body = Valid(schema, random) as JsonObject;
            if (body is null)
            {
                return null;
            }
        }

        return new Request(path, query, body);
    }

    /// <summary>A random value inside <paramref name="schema"/>, checked against it; null when none was found.</summary>
    private JsonNode? Valid(JsonObject schema, Random random, int depth = 0)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var value = Candidate(schema, random, depth);
            if (IsValid(schema, value))
            {
                return value;
            }
        }

        return null;
    }

    private JsonNode? Candidate(JsonObject schema, Random random, int depth)
    {
        if (schema["enum"] is JsonArray choices && choices.Count > 0)
        {
            return choices[random.Next(choices.Count)]?.DeepClone();
        }

        var minimum = Number(schema["minimum"]);
        var maximum = Number(schema["maximum"]);
        switch (OpenApiReader.TypeOf(schema))
        {
            case "integer":
                var low = (long)Math.Ceiling(minimum ?? 0);
                var high = (long)Math.Floor(Math.Min(maximum ?? low + 1000, low + 1_000_000));
                return JsonValue.Create(low + random.NextInt64(0, Math.Max(0, high - low) + 1));
            case "number":
                var from = minimum ?? -1000;
                var to = Math.Min(maximum ?? from + 2000, from + 1_000_000);
                return JsonValue.Create(Math.Round(from + ((to - from) * random.NextDouble()), 4));
            case "boolean":
                return JsonValue.Create(random.Next(2) == 0);
            case "array":
                var items = schema["items"] as JsonObject ?? [];
                var count = Math.Max((int)(Number(schema["minItems"]) ?? 1), Math.Min((int)(Number(schema["maxItems"]) ?? 3), 1 + random.Next(3)));
                var array = new JsonArray();
                for (var i = 0; i < count && depth < 4; i++)
                {
                    array.Add(Valid(items, random, depth + 1));
                }

                return array;
            case "object":
                var result = new JsonObject();
                var required = (schema["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
                foreach (var (name, property) in schema["properties"] as JsonObject ?? [])
                {
                    if ((required.Contains(name) || random.Next(2) == 0) && property is JsonObject propertySchema && depth < 4)
                    {
                        result[name] = Valid(propertySchema, random, depth + 1);
                    }
                }

                return result;
            default:
                return JsonValue.Create(Word(schema, random));
        }
    }

    private static string Word(JsonObject schema, Random random)
    {
        switch (schema["format"]?.GetValue<string>())
        {
            case "uuid":
                return Guid.NewGuid().ToString();
            case "date-time":
                return DateTimeOffset.UtcNow.AddSeconds(-random.Next(100_000)).ToString("O", CultureInfo.InvariantCulture);
        }

        var max = (int)Math.Min(Number(schema["maxLength"]) ?? 24, 24);
        var min = (int)Math.Min(Number(schema["minLength"]) ?? 1, max);
        return random.Next(8) switch
        {
            6 => $"https://{Token(random, 1 + random.Next(8), Alphanumeric)}.example",
            7 => $"http://localhost:{1 + random.Next(9998)}",
            0 => Guid.NewGuid().ToString(),
            1 => string.Join(',', Enumerable.Range(0, 1 + random.Next(3)).Select(_ => Token(random, 1 + random.Next(5), Upper))),
            2 => Token(random, 3, Upper),
            _ => Token(random, min + random.Next(max - min + 1), Alphanumeric),
        };
    }

    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Alphanumeric = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private static string Token(Random random, int length, string alphabet) =>
        new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);

    /// <summary>Where a request can break a constraint: constrained parameters, body fields, the body's required fields.</summary>
    private static IEnumerable<Slot> Slots(ApiOperation operation)
    {
        foreach (var parameter in operation.Parameters.Where(p => p.Schema is not null && (p.In == "query" || p.Format is null)))
        {
            if (Constrained(parameter.Schema!) || parameter.Required)
            {
                yield return new Slot(parameter.In, parameter.Name, parameter.Schema!, parameter.Required);
            }
        }

        var required = (operation.BodySchema?["required"] as JsonArray)?.Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
        foreach (var (name, property) in operation.BodySchema?["properties"] as JsonObject ?? [])
        {
            if (property is JsonObject schema && (Constrained(schema) || required.Contains(name)))
            {
                yield return new Slot("body", name, schema, required.Contains(name));
            }
        }
    }

    private static bool Constrained(JsonObject schema) =>
        schema["enum"] is not null || schema["pattern"] is not null || schema["minimum"] is not null || schema["maximum"] is not null
        || schema["minLength"] is not null || schema["maxLength"] is not null || schema["minItems"] is not null || schema["maxItems"] is not null
        || OpenApiReader.TypeOf(schema) is "integer" or "number" or "boolean" or "array";

    /// <summary>Breaks one constraint of <paramref name="slot"/> in <paramref name="request"/>; what it did, or null when nothing breaks it.</summary>
    private string? Break(Slot slot, Request request, Random random)
    {
        var options = new List<(string What, JsonNode? Value, bool Omit)>();
        if (slot.Required)
        {
            options.Add(("left out", null, true));
        }

        var minimum = Number(slot.Schema["minimum"]);
        var maximum = Number(slot.Schema["maximum"]);
        var type = OpenApiReader.TypeOf(slot.Schema);
        if (minimum is { } min)
        {
            options.Add(($"{min - 1} below the minimum", type == "integer" ? JsonValue.Create((long)min - 1) : JsonValue.Create(min - 1), false));
        }

        if (maximum is { } max && max < 9_007_199_254_740_991)
        {
            options.Add(($"{max + 1} above the maximum", type == "integer" ? JsonValue.Create((long)max + 1) : JsonValue.Create(max + 1), false));
        }

        if (type is "integer" or "number" or "boolean")
        {
            options.Add(("a word for a " + type, JsonValue.Create("seven"), false));
        }

        if (slot.Schema["enum"] is not null)
        {
            options.Add(("a value outside the enum", JsonValue.Create("zz-not-one-of-them"), false));
        }

        if (type == "string")
        {
            if (Number(slot.Schema["maxLength"]) is { } maxLength)
            {
                options.Add(("too long", JsonValue.Create(new string('a', (int)maxLength + 1)), false));
            }

            if (Number(slot.Schema["minLength"]) is { } minLength && minLength > 0)
            {
                options.Add(("too short", JsonValue.Create(new string('a', (int)minLength - 1)), false));
            }

            if (slot.Schema["pattern"] is not null)
            {
                // An empty query value is the parameter left out (as the handlers read it), so it is no break there.
                foreach (var candidate in (string[])["!!", "a b", slot.Kind == "query" ? "!" : "", new string('9', 300), "\u00e9\u00e9"])
                {
                    options.Add(($"'{(candidate.Length > 12 ? candidate[..12] + "…" : candidate)}' against the pattern", JsonValue.Create(candidate), false));
                }
            }

            if (slot.Kind == "body")
            {
                options.Add(("a number for a string", JsonValue.Create(12345), false));
            }
        }

        if (type == "array")
        {
            options.Add(("a string for an array", JsonValue.Create("x"), false));
            if (Number(slot.Schema["maxItems"]) is { } maxItems && slot.Schema["items"] is JsonObject items && Valid(items, random) is { } item)
            {
                options.Add(("too many items", new JsonArray([.. Enumerable.Range(0, (int)maxItems + 1).Select(_ => item.DeepClone())]), false));
            }

            if (Number(slot.Schema["minItems"]) is > 0)
            {
                options.Add(("no items", new JsonArray(), false));
            }
        }

        if (slot.Kind == "body" && slot.Required && !Nullable(slot.Schema))
        {
            options.Add(("null", null, false));
        }

        // Only what the schema really refuses (a query value travels as text, so it is judged as the text it becomes).
        var breaking = options.Where(o => o.Omit || !IsValid(slot.Schema, slot.Kind == "body" ? o.Value : Reparse(o.Value, type))).ToList();
        if (breaking.Count == 0)
        {
            return null;
        }

        var (what, value, omit) = breaking[random.Next(breaking.Count)];
        switch (slot.Kind)
        {
            case "body" when request.Body is { } body:
                if (omit)
                {
                    body.Remove(slot.Name);
                }
                else
                {
                    body[slot.Name] = value?.DeepClone();
                }

                break;
            case "query":
                if (omit)
                {
                    request.Query.Remove(slot.Name);
                }
                else
                {
                    request.Query[slot.Name] = Text(value) ?? "";
                }

                break;
            case "path" when !omit:
                request.Path[slot.Name] = Text(value) ?? "";
                break;
            default:
                return null;
        }

        return what;
    }

    /// <summary>A parameter value as the server will read it: the text, as a number when it is one and the schema wants one.</summary>
    private static JsonNode? Reparse(JsonNode? value, string? type) =>
        type is "integer" or "number" && Text(value) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? JsonValue.Create(number)
            : value;

    private static bool Nullable(JsonObject schema) =>
        schema["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");

    private bool IsValid(JsonObject schema, JsonNode? value)
    {
        var key = schema.ToJsonString();
        if (!_compiled.TryGetValue(key, out var compiled))
        {
            var standalone = schema.DeepClone().AsObject();
            standalone["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            compiled = JsonSchema.Build(JsonSerializer.SerializeToElement(standalone),
                new BuildOptions { SchemaRegistry = new SchemaRegistry() }, new Uri($"https://stoa.test/fuzz/{_compiled.Count}"));
            _compiled[key] = compiled;
        }

        return compiled.Evaluate(JsonSerializer.SerializeToElement(value)).IsValid;
    }

    private static string? Text(JsonNode? value) => value switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v => v.ToJsonString(),
        _ => value.ToJsonString(),
    };

    private static double? Number(JsonNode? node) =>
        node is JsonValue value && double.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string? ProblemCode(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static HostileCase Case(ApiOperation operation, string name, IReadOnlyList<KeyValuePair<string, string>> credentials, Request request,
        Expectation expectation)
    {
        var path = operation.PathTemplate;
        foreach (var (parameter, value) in request.Path)
        {
            path = path.Replace("{" + parameter + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }

        var query = string.Join('&', request.Query.Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value)}"));
        var body = request.Body is null ? null : Encoding.UTF8.GetBytes(request.Body.ToJsonString());
        return new HostileCase(operation, name, operation.Method, query.Length == 0 ? path : $"{path}?{query}", credentials, body,
            body is null ? null : "application/json", Expectation: expectation);
    }

    private static int StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (int)hash;
    }
}
