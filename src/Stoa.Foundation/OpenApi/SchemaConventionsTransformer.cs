using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Stoa.Foundation.OpenApi;

/// <summary>
/// Makes the generated schemas say what the server does:
/// <list type="bullet">
/// <item>strings are strings: Foundation's <c>TextConverter</c> (which refuses U+0000) hides the type from the generator;</item>
/// <item>a nullable property is optional, since every response is written with <c>WhenWritingNull</c> and every request
/// field the server does not ask for may be left out; a <see cref="RequiredAttribute"/> makes a request field required
/// and not nullable, as the handler's check enforces;</item>
/// <item><see cref="AllowedValuesAttribute"/> on a parameter or property becomes an <c>enum</c>.</item>
/// </list>
/// </summary>
internal sealed class SchemaConventionsTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var attributes = Attributes(context);
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(string) && schema.Type is null && schema.AllOf is null && schema.OneOf is null)
        {
            schema.Type = JsonSchemaType.String;
            if (context.JsonPropertyInfo is { IsGetNullable: true } or { IsSetNullable: true } && context.ParameterDescription is null)
            {
                schema.Type |= JsonSchemaType.Null;
            }
        }

        // A list of strings loses its item type the same way.
        if (schema.Type?.HasFlag(JsonSchemaType.Array) == true && context.JsonTypeInfo.ElementType == typeof(string)
            && schema.Items is null or OpenApiSchema { Type: null, AllOf: null, OneOf: null })
        {
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
        }

        if (attributes.OfType<ItemPatternAttribute>().LastOrDefault() is { } itemPattern && schema.Items is OpenApiSchema item)
        {
            item.Pattern = itemPattern.Pattern;
        }

        if (attributes.OfType<RequiredAttribute>().Any() && schema.Type is { } declared)
        {
            schema.Type = declared & ~JsonSchemaType.Null;
        }

        // [Range(typeof(long), "0", "9223372036854775807")] says "at least 0": the int64 format already bounds it above,
        // and the generator would write the maximum rounded through a double, past what an int64 holds.
        if (schema.Maximum is { } maximum && decimal.TryParse(maximum, System.Globalization.CultureInfo.InvariantCulture, out var max) && max >= long.MaxValue - 1024)
        {
            schema.Maximum = null;
        }

        if (attributes.OfType<AllowedValuesAttribute>().LastOrDefault() is { } allowed)
        {
            schema.Enum = [.. allowed.Values.Select(v => (JsonNode)JsonValue.Create(v?.ToString() ?? ""))];
        }

        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { Count: > 0 })
        {
            var required = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in context.JsonTypeInfo.Properties)
            {
                var own = property.AttributeProvider?.GetCustomAttributes(inherit: true).OfType<Attribute>() ?? [];
                var nullable = property.IsGetNullable || Nullable.GetUnderlyingType(property.PropertyType) is not null;
                if (!nullable || own.OfType<RequiredAttribute>().Any())
                {
                    required.Add(property.Name);
                }
            }

            schema.Required = required.Count == 0 ? null : required;
        }

        return Task.CompletedTask;
    }

    private static IReadOnlyList<Attribute> Attributes(OpenApiSchemaTransformerContext context)
    {
        if (context.JsonPropertyInfo?.AttributeProvider is { } provider)
        {
            return [.. provider.GetCustomAttributes(inherit: true).OfType<Attribute>()];
        }

        if (context.ParameterDescription?.ParameterDescriptor is IParameterInfoParameterDescriptor { ParameterInfo: { } parameter })
        {
            return [.. parameter.GetCustomAttributes()];
        }

        return [];
    }
}
