using System.Text;
using System.Text.Json.Nodes;

namespace Stoa.HostileSweep;

/// <summary>
/// The hostile requests for one operation: forged and foreign credentials, hostile path and query values, and bodies
/// that are too large, badly encoded, of the wrong type, too deep, or full of huge numbers and unknown fields.
/// Each case changes one thing in an otherwise plausible request.
/// </summary>
public sealed class HostileCases(SweepTarget target, SeededIds ids)
{
    private const string RawMarker = "@@sweep-raw@@";

    private static readonly (string Name, string Encoded)[] s_pathValues =
    [
        ("invalid UTF-8", "%C3%28"),
        ("lone 0xFF byte", "%FF"),
        ("encoded slash", "a%2Fb"),
        ("traversal", "..%2F..%2Fadmin"),
        ("space", "%20"),
        ("emoji", Uri.EscapeDataString("😀")),
        ("right-to-left override", "%E2%80%AE"),
        ("newline", "%0A"),
        ("2,000 characters", new string('a', 2000)),
        ("SQL", Uri.EscapeDataString("' OR '1'='1")),
        ("markup", Uri.EscapeDataString("<script>alert(1)</script>")),
        ("negative", "-1"),
        ("zero", "0"),
        ("huge number", "99999999999999999999999"),
        ("zero GUID", "00000000-0000-0000-0000-000000000000"),
        ("GUID in braces", Uri.EscapeDataString("{" + Guid.NewGuid() + "}")),
    ];

    private static readonly (string Name, string Encoded)[] s_queryValues =
    [
        ("empty", ""),
        ("negative", "-1"),
        ("zero", "0"),
        ("int32 overflow", "2147483648"),
        ("int64 overflow", "99999999999999999999"),
        ("float overflow", "1e309"),
        ("NaN", "NaN"),
        ("not a number", "abc"),
        ("invalid UTF-8", "%FF%FE"),
        ("NUL", "%00"),
        ("4,000 characters", new string('9', 4000)),
        ("emoji", Uri.EscapeDataString("😀")),
        ("SQL", Uri.EscapeDataString("1' OR '1'='1")),
    ];

    private static readonly string[] s_hostileUrls =
    [
        "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://2130706433/", "http://0.0.0.0/", "file:///etc/passwd",
        "javascript:alert(1)", "gopher://127.0.0.1:6379/_INFO", "http://user:pass@127.0.0.1/", "http://127.0.0.1:22/",
        "http://127.0.0.1/" + new string('a', 4000), "//127.0.0.1/", "http://[fe80::1%25eth0]/", "data:text/html,<b>x</b>",
    ];

    private static readonly string[] s_extraMethods = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND"];

    /// <summary>Methods the path does not declare: routing must answer 405 (or 404) as problem+json.</summary>
    public IEnumerable<HostileCase> Methods(ApiOperation representative, IReadOnlySet<string> declared, IReadOnlyList<KeyValuePair<string, string>> credentials) =>
        s_extraMethods.Where(m => !declared.Contains(m)).Select(m =>
            new HostileCase(representative, $"undeclared method {m}", m, PathAndQuery(representative), credentials));

    public IEnumerable<HostileCase> For(ApiOperation operation, IReadOnlyList<KeyValuePair<string, string>> credentials)
    {
        return Credentials(operation, credentials)
            .Concat(PathValues(operation, credentials))
            .Concat(QueryValues(operation, credentials))
            .Concat(operation.HasBody ? Bodies(operation, credentials) : []);
    }

    /// <summary>The plausible request (the baseline every case departs from).</summary>
    public HostileCase Plausible(ApiOperation operation, IReadOnlyList<KeyValuePair<string, string>> credentials, string name = "plausible") =>
        WithJson(operation, name, credentials, operation.HasBody ? SampleValues.Body(operation.BodySchema!) : null);

    private IEnumerable<HostileCase> Credentials(ApiOperation operation, IReadOnlyList<KeyValuePair<string, string>> credentials)
    {
        var path = PathAndQuery(operation);
        var json = operation.HasBody ? Json(SampleValues.Body(operation.BodySchema!)) : null;
        var body = json is null ? null : Encoding.UTF8.GetBytes(json);
        HostileCase Refused(string name, params (string Name, string Value)[] headers) => new(
            operation, name, operation.Method, path, [.. headers.Select(h => KeyValuePair.Create(h.Name, h.Value))],
            body, body is null ? null : "application/json", Expectation: Expectation.Refused);

        yield return Refused("no credentials");
        yield return Refused("unknown API key", ("X-Api-Key", "pk_sweep_forged_key"), ("Authorization", "Bearer " + target.UserToken));
        yield return Refused("empty API key", ("X-Api-Key", ""), ("Authorization", "Bearer " + target.UserToken));
        yield return Refused("4 KB API key", ("X-Api-Key", new string('k', 4096)));
        yield return Refused("another app's key with this app's token", ("X-Api-Key", target.OtherApiKey), ("Authorization", "Bearer " + target.UserToken));
        yield return Refused("this app's key with another app's token", ("X-Api-Key", target.ApiKey), ("Authorization", "Bearer " + target.OtherUserToken));
        yield return Refused("Basic authorization", ("X-Api-Key", target.ApiKey), ("Authorization", "Basic c3dlZXA6c3dlZXA="));
        yield return Refused("empty bearer", ("X-Api-Key", target.ApiKey), ("Authorization", "Bearer "));
        foreach (var (name, token) in ForgedTokens.From(target.UserToken))
        {
            yield return Refused($"forged token: {name}", ("X-Api-Key", target.ApiKey), ("Authorization", "Bearer " + token));
        }

        if (operation.Method == "GET")
        {
            // Streaming endpoints read credentials from the query: forged ones there must be refused too.
            var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
            yield return new HostileCase(operation, "forged query credentials", "GET",
                $"{path}{separator}api_key=pk_sweep_forged_key&access_token={ForgedTokens.From(target.UserToken).First().Token}", [],
                Expectation: Expectation.Refused);
        }
    }

    private IEnumerable<HostileCase> PathValues(ApiOperation operation, IReadOnlyList<KeyValuePair<string, string>> credentials)
    {
        foreach (var parameter in operation.PathParameters)
        {
            var values = s_pathValues.Select(v => (v.Name, v.Encoded, Expectation.Any)).ToList();
            // Refused by the HTTP server before the app: its answer must be a problem with a code all the same.
            values.Add(("NUL byte", "%00", Expectation.Any));
            if (parameter.Format == "uuid")
            {
                values.Add(("random GUID", Guid.NewGuid().ToString(), Expectation.Any));
                if (ids.Other(operation.PathTemplate, parameter.Name) is { } foreign)
                {
                    values.Add(("another app's id", foreign.ToString(), Expectation.NotFound));
                }

                if (ids.Own(operation.PathTemplate, parameter.Name) is { } own)
                {
                    values.Add(("own id in upper case", own.ToString().ToUpperInvariant(), Expectation.Any));
                }
            }

            foreach (var (name, encoded, expectation) in values)
            {
                yield return WithJson(operation, $"path {parameter.Name}: {name}", credentials,
                    operation.HasBody ? SampleValues.Body(operation.BodySchema!) : null,
                    path: new Dictionary<string, string> { [parameter.Name] = encoded }) with { Expectation = expectation };
            }
        }
    }

    private IEnumerable<HostileCase> QueryValues(ApiOperation operation, IReadOnlyList<KeyValuePair<string, string>> credentials)
    {
        foreach (var parameter in operation.QueryParameters)
        {
            var values = s_queryValues.ToList();
            if (parameter.Name == "url")
            {
                values.AddRange(s_hostileUrls.Select(u => ($"hostile URL {u[..Math.Min(u.Length, 40)]}", Uri.EscapeDataString(u))));
            }

            foreach (var (name, encoded) in values)
            {
                yield return Request(operation, $"query {parameter.Name}: {name}", credentials, null, null,
                    query: new Dictionary<string, string> { [parameter.Name] = encoded });
            }

            yield return Request(operation, $"query {parameter.Name}: repeated", credentials, null, null,
                query: new Dictionary<string, string> { [parameter.Name] = $"1&{parameter.Name}=2" });
        }
    }

    private IEnumerable<HostileCase> Bodies(ApiOperation operation, IReadOnlyList<KeyValuePair<string, string>> credentials)
    {
        var plausible = SampleValues.Body(operation.BodySchema!) ?? new JsonObject();
        var limit = (int)Math.Min(target.MaxRequestBodyBytes, 64L * 1024 * 1024);

        // Size: one byte over the limit, announced and chunked (the limit must hold while reading, not only on the header).
        var oversized = Encoding.UTF8.GetBytes("{\"pad\":\"" + new string('a', limit - 9) + "\"}");
        yield return Raw(operation, "body one byte over the limit", credentials, oversized, "application/json") with { Expectation = Expectation.TooLarge };
        yield return Raw(operation, "chunked body over the limit", credentials, oversized, "application/json") with { ChunkedBody = true, Expectation = Expectation.TooLarge };

        // Encoding.
        yield return Raw(operation, "invalid UTF-8 body", credentials, [0xFF, 0xFE, 0xFD, 0x7B, 0x7D], "application/json");
        yield return Raw(operation, "UTF-8 BOM", credentials, [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(Json(plausible)!)], "application/json");
        yield return Raw(operation, "UTF-16 body", credentials, Encoding.Unicode.GetBytes(Json(plausible)!), "application/json; charset=utf-16");
        yield return Raw(operation, "latin1 charset", credentials, Encoding.Latin1.GetBytes(Json(plausible)!), "application/json; charset=iso-8859-1");

        // Content types.
        foreach (var contentType in new[] { "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonp", "APPLICATION/JSON" })
        {
            yield return Raw(operation, $"content type {contentType}", credentials, Encoding.UTF8.GetBytes(Json(plausible)!), contentType);
        }

        yield return Raw(operation, "no content type", credentials, Encoding.UTF8.GetBytes(Json(plausible)!), null);

        // Shapes.
        foreach (var (name, text) in new[]
        {
            ("empty body", ""), ("null", "null"), ("array", "[]"), ("string", "\"sweep\""), ("number", "123"), ("true", "true"),
            ("truncated", "{\"a\":"), ("trailing garbage", Json(plausible) + " xyz"), ("comment", "/* c */ " + Json(plausible)),
            ("single quotes", "{'a':'b'}"), ("trailing comma", "{\"a\":1,}"), ("NUL character", "{\"a\":\"\u0000\"}"),
            ("deep arrays", new string('[', 10_000) + new string(']', 10_000)),
            ("deep objects", string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)),
        })
        {
            yield return Raw(operation, $"body {name}", credentials, Encoding.UTF8.GetBytes(text), "application/json");
        }

        if (plausible is JsonObject fields)
        {
            var extra = (JsonObject)fields.DeepClone();
            extra["unknownField"] = 1;
            extra["__proto__"] = new JsonObject { ["admin"] = true };
            extra["appId"] = ids.AnyOther?.ToString() ?? Guid.NewGuid().ToString();
            extra["userId"] = "admin";
            extra["server"] = true;
            yield return WithJson(operation, "unknown fields", credentials, extra);

            // A property name that is not text: readers that look fields up by name must not throw on it.
            var named = Json(fields)!;
            yield return Raw(operation, "lone surrogate as a property name", credentials,
                Encoding.UTF8.GetBytes("{\"\\ud800\":1," + named[1..]), "application/json");

            var first = fields.FirstOrDefault();
            if (first.Key is not null)
            {
                var text = Json(fields)!;
                var duplicate = "{" + $"\"{first.Key}\":{first.Value?.ToJsonString() ?? "null"}," + text[1..];
                yield return Raw(operation, "duplicate key", credentials, Encoding.UTF8.GetBytes(duplicate), "application/json");
            }

            foreach (var (field, schema) in operation.BodySchema!["properties"]?.AsObject() ?? new JsonObject())
            {
                foreach (var fieldCase in FieldCases(operation, credentials, fields, field, schema as JsonObject ?? new JsonObject()))
                {
                    yield return fieldCase;
                }
            }
        }
    }

    private IEnumerable<HostileCase> FieldCases(ApiOperation operation, IReadOnlyList<KeyValuePair<string, string>> credentials,
        JsonObject plausible, string field, JsonObject schema)
    {
        var type = OpenApiReader.TypeOf(schema);
        var format = schema["format"]?.GetValue<string>();
        var raw = new List<(string Name, string Json)>
        {
            ("null", "null"), ("object", "{}"), ("array", "[]"), ("deep nesting", new string('[', 64) + new string(']', 64)),
        };

        if (type is "integer" or "number" || format is "int32" or "int64" or "double")
        {
            raw.AddRange([
                ("1e400", "1e400"), ("30 digits", "123456789012345678901234567890"), ("below int64", "-9223372036854775809"),
                ("fraction", "1.5"), ("negative", "-1"), ("zero", "0"), ("NaN string", "\"NaN\""), ("Infinity string", "\"Infinity\""),
                ("huge number string", "\"1e400\""), ("string", "\"abc\""), ("boolean", "true"),
            ]);
        }
        else
        {
            raw.AddRange([
                ("empty string", "\"\""), ("number", "123"), ("boolean", "false"), ("control characters", "\"\\u0000\\u0001\\u001f\""),
                ("lone surrogate", "\"\\ud800\""), ("lone low surrogate between text", "\"a\\udc00b\""), ("emoji run", "\"" + string.Concat(Enumerable.Repeat("😀", 1000)) + "\""),
                ("900 KB string", "\"" + new string('s', (int)Math.Min(target.MaxRequestBodyBytes - 4096, 900 * 1024)) + "\""),
                ("invalid UTF-8 in string", RawMarker),
            ]);
        }

        if (format == "uuid")
        {
            raw.AddRange([("not a GUID", "\"not-a-guid\""), ("zero GUID", "\"00000000-0000-0000-0000-000000000000\"")]);
            if (ids.AnyOther is { } other)
            {
                raw.Add(("another app's id", $"\"{other}\""));
            }
        }

        if (format == "date-time")
        {
            raw.AddRange([("not a date", "\"not-a-date\""), ("year 9999", "\"9999-12-31T23:59:59Z\""), ("year 1", "\"0001-01-01T00:00:00Z\""), ("month 13", "\"2026-13-45T99:99:99Z\"")]);
        }

        if (type == "array" || field is "op" or "urls")
        {
            var item = (plausible[field] as JsonArray)?.FirstOrDefault()?.ToJsonString() ?? "1";
            raw.AddRange([
                ("10,000 items", "[" + string.Join(',', Enumerable.Repeat(item, 10_000)) + "]"), ("numbers", "[1,2,3]"), ("nested", "[[[\"x\"]]]"), ("null item", "[null]"),
                ("control characters in an item", "[\"\\u0000\\u0001\"]"),
            ]);
        }

        foreach (var (name, json) in raw)
        {
            var body = (JsonObject)plausible.DeepClone();
            body[field] = RawMarker;
            var text = Json(body)!;
            var bytes = json == RawMarker
                ? Splice(text, $"\"{RawMarker}\"", [0x22, 0xC3, 0x28, 0x22])
                : Encoding.UTF8.GetBytes(text.Replace($"\"{RawMarker}\"", json, StringComparison.Ordinal));
            yield return Raw(operation, $"field {field}: {name}", credentials, bytes, "application/json");
        }
    }

    private HostileCase WithJson(ApiOperation operation, string name, IReadOnlyList<KeyValuePair<string, string>> credentials, JsonNode? body,
        IReadOnlyDictionary<string, string>? path = null)
    {
        var json = Json(body);
        return Request(operation, name, credentials, json is null ? null : Encoding.UTF8.GetBytes(json), json is null ? null : "application/json", path);
    }

    private HostileCase Raw(ApiOperation operation, string name, IReadOnlyList<KeyValuePair<string, string>> credentials, byte[] body, string? contentType) =>
        Request(operation, name, credentials, body, contentType);

    private HostileCase Request(ApiOperation operation, string name, IReadOnlyList<KeyValuePair<string, string>> credentials, byte[]? body,
        string? contentType, IReadOnlyDictionary<string, string>? path = null, IReadOnlyDictionary<string, string>? query = null)
    {
        if (body is null && operation.HasBody && query is not null)
        {
            var json = Json(SampleValues.Body(operation.BodySchema!));
            body = json is null ? null : Encoding.UTF8.GetBytes(json);
            contentType = "application/json";
        }

        return new HostileCase(operation, name, operation.Method, PathAndQuery(operation, path, query), credentials, body, contentType);
    }

    /// <summary>The path with plausible values (own seeded ids where there are some) except the overridden, already encoded ones.</summary>
    private string PathAndQuery(ApiOperation operation, IReadOnlyDictionary<string, string>? path = null, IReadOnlyDictionary<string, string>? query = null)
    {
        var result = new StringBuilder(operation.PathTemplate);
        foreach (var parameter in operation.PathParameters)
        {
            var value = path?.GetValueOrDefault(parameter.Name)
                ?? Uri.EscapeDataString(SampleValues.PathValue(parameter, ids.Own(operation.PathTemplate, parameter.Name)));
            result.Replace("{" + parameter.Name + "}", value);
        }

        var pairs = new List<string>();
        foreach (var parameter in operation.QueryParameters)
        {
            if (query?.GetValueOrDefault(parameter.Name) is { } hostile)
            {
                pairs.Add($"{parameter.Name}={hostile}");
            }
            else if (SampleValues.QueryValue(parameter) is { } plausible)
            {
                pairs.Add($"{parameter.Name}={Uri.EscapeDataString(plausible)}");
            }
        }

        return pairs.Count == 0 ? result.ToString() : $"{result}?{string.Join('&', pairs)}";
    }

    private static string? Json(JsonNode? node) => node?.ToJsonString() ?? null;

    private static byte[] Splice(string text, string marker, byte[] replacement)
    {
        var at = text.IndexOf(marker, StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(text[..at]), .. replacement, .. Encoding.UTF8.GetBytes(text[(at + marker.Length)..])];
    }
}
