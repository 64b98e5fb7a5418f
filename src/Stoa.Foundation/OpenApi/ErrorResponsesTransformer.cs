using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;

namespace Stoa.Foundation.OpenApi;

/// <summary>
/// Gives every operation its error responses as problem+json, each with the codes it can carry: the platform's
/// (<see cref="PlatformErrors"/>) and the endpoint's own (<see cref="ErrorResponseMetadata"/>). A bare status the
/// framework described (<c>Results&lt;NoContent, NotFound&gt;</c>) is replaced, since every error body is a problem.
/// </summary>
internal sealed class ErrorResponsesTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var codes = new ErrorCodeSet();
        PlatformErrors.AddTo(codes, context.Description);
        foreach (var declared in context.Description.ActionDescriptor.EndpointMetadata.OfType<ErrorResponseMetadata>())
        {
            codes.Add(declared.Status, declared.Codes);
        }

        // An error status the generator found in the handler's type (Results<Ok<T>, NotFound>) is answered as a problem
        // with the status's own code (the status code pages do that).
        foreach (var key in operation.Responses?.Keys.ToList() ?? [])
        {
            if (int.TryParse(key, out var status) && status >= 400)
            {
                codes.Add(status, Errors.FoundationErrors.ForStatus(status));
            }
        }

        var document = context.Document ?? throw new InvalidOperationException("The operation transformer runs without its document.");
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas.TryAdd(ProblemSchema.ComponentId, ProblemSchema.Component());

        operation.Responses ??= [];
        foreach (var (status, set) in codes.ByStatus)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            operation.Responses[key] = new OpenApiResponse
            {
                Description = $"{ReasonPhrases.GetReasonPhrase(status)}: `{string.Join("`, `", set)}`.",
                Content = new Dictionary<string, OpenApiMediaType> { [ProblemSchema.MediaType] = ProblemSchema.For(document, status, set) },
            };
        }

        return Task.CompletedTask;
    }
}
