using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Stoa.Foundation.Errors;

namespace Stoa.Foundation.OpenApi;

/// <summary>
/// Endpoint metadata: a path parameter is an id the client chooses, checked by <see cref="Validation.PathId"/> (1 to
/// <see cref="MaxLength"/> characters, no control characters, not "." or ".."); the document states that rule.
/// </summary>
public sealed record PathIdMetadata(string Name, int MaxLength);

public static class PathIdConventions
{
    public static TBuilder PathId<TBuilder>(this TBuilder builder, string name, int maxLength)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new PathIdMetadata(name, maxLength));
}

/// <summary>Writes <see cref="PathIdMetadata"/> into the operation's path parameters.</summary>
internal sealed class PathIdsTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var id in context.Description.ActionDescriptor.EndpointMetadata.OfType<PathIdMetadata>())
        {
            if (operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.Name == id.Name && p.In == ParameterLocation.Path) is
                { Schema: OpenApiSchema schema })
            {
                schema.MinLength = 1;
                schema.MaxLength = id.MaxLength;
                schema.Pattern = Validation.PathIdPattern;
            }
        }

        return Task.CompletedTask;
    }
}
