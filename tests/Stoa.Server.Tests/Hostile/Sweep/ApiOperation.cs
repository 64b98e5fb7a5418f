using System.Text.Json.Nodes;

namespace Stoa.HostileSweep;

/// <summary>One operation of the OpenAPI document: a method on a path template, its parameters and its JSON body.</summary>
public sealed record ApiOperation(string Method, string PathTemplate, IReadOnlyList<ApiParameter> Parameters, JsonObject? BodySchema, bool BodyRequired)
{
    /// <summary>Its only success is a WebSocket upgrade (101): a plain HTTP request cannot succeed.</summary>
    public bool WebSocketOnly { get; init; }

    public IEnumerable<ApiParameter> PathParameters => Parameters.Where(p => p.In == "path");

    public IEnumerable<ApiParameter> QueryParameters => Parameters.Where(p => p.In == "query");

    public bool HasBody => BodySchema is not null;

    public override string ToString() => $"{Method} {PathTemplate}";
}

/// <summary>A path or query parameter; <see cref="Format"/> is the schema's (uuid, int32…), <see cref="Schema"/> the whole resolved schema.</summary>
public sealed record ApiParameter(string Name, string In, string? Type, string? Format, JsonObject? Schema = null, bool Required = false);
