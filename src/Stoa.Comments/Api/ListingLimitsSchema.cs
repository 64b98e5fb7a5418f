using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Stoa.Comments.Core;

namespace Stoa.Comments.Api;

/// <summary>
/// The listing's <c>replies</c> and <c>depth</c> maxima are settings (<see cref="CommentsOptions"/>): the document
/// states this node's values, and the rule no schema can say (limit × replies × depth at most MaxListingRows) in words.
/// </summary>
internal sealed class ListingLimitsSchema : IOpenApiOperationTransformer
{
    public const string OperationId = "comments_listComments";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.OperationId != OperationId || operation.Parameters is null)
        {
            return Task.CompletedTask;
        }

        var options = context.ApplicationServices.GetRequiredService<IOptions<CommentsOptions>>().Value;
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>())
        {
            var maximum = parameter.Name switch
            {
                "replies" => options.MaxInlineReplies,
                "depth" => options.MaxDisplayDepth,
                _ => (int?)null,
            };
            if (maximum is { } max && parameter.Schema is OpenApiSchema schema)
            {
                schema.Maximum = max.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        operation.Description = $"limit × replies × depth must be at most {options.MaxListingRows} (`validation_failed` otherwise)."
            + (string.IsNullOrEmpty(operation.Description) ? "" : "\n\n" + operation.Description);
        return Task.CompletedTask;
    }
}
