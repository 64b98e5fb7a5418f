using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Stoa.Foundation.OpenApi;

/// <summary>
/// Describes a streaming endpoint's success as it is (<see cref="StreamResponseMetadata"/>) instead of the empty JSON
/// 200 the generator infers from a handler that writes the response itself.
/// </summary>
internal sealed class StreamResponsesTransformer : IOpenApiOperationTransformer
{
    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var streams = context.Description.ActionDescriptor.EndpointMetadata.OfType<StreamResponseMetadata>().ToList();
        if (streams.Count == 0)
        {
            return;
        }

        operation.Responses ??= [];
        foreach (var key in operation.Responses.Keys.Where(k => k.StartsWith('2') || k.StartsWith('1')).ToList())
        {
            operation.Responses.Remove(key);
        }

        var document = context.Document!;
        foreach (var stream in streams)
        {
            var messages = new List<string>();
            foreach (var type in stream.MessageTypes)
            {
                // Registers the message's schema as a component (by the generator's own naming) so clients can type it.
                var schema = await context.GetOrCreateSchemaAsync(type, null, cancellationToken);
                var id = type.Name;
                document.Components ??= new OpenApiComponents();
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                document.Components.Schemas.TryAdd(id, schema);
                messages.Add($"`{id}` (`#/components/schemas/{id}`)");
            }

            var description = messages.Count == 0 ? stream.Description : $"{stream.Description}\n\nMessages: {string.Join(", ", messages)}.";
            var response = new OpenApiResponse { Description = description };
            if (stream.MediaType is { } mediaType)
            {
                response.Content = new Dictionary<string, OpenApiMediaType>
                {
                    [mediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = description } },
                };
            }

            operation.Responses[stream.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)] = response;
        }
    }
}
