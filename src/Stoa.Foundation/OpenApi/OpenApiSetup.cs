using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;

namespace Stoa.Foundation.OpenApi;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>, the API's contract (docs/api.md): the framework's generator, plus
/// transformers for what endpoint metadata alone does not say. Modules add their own transformers to the same
/// options (<c>services.Configure&lt;OpenApiOptions&gt;(DocumentName, …)</c>).
/// </summary>
public static class OpenApiSetup
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddStoaOpenApi(this IServiceCollection services)
    {
        var security = new SecurityTransformer();
        services.AddOpenApi(DocumentName, options =>
        {
            options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Stoa",
                    Version = "v1",
                    Description = "Realtime and social backend services for apps: link previews, quotes, collaborative docs, "
                        + "comments and follows. Every error is `application/problem+json` with a stable `code`.",
                };
                // Every node serves the document at whatever address it is reached; clients set their own base URL.
                document.Servers = null;
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer(security);
            options.AddOperationTransformer(security);
            options.AddOperationTransformer(new ErrorResponsesTransformer());
            options.AddOperationTransformer(new StreamResponsesTransformer());
            options.AddOperationTransformer(new PathIdsTransformer());
            options.AddSchemaTransformer(new SchemaConventionsTransformer());
        });
        // After every module's transformers (PostConfigure runs after all Configure calls), so that the examples are made
        // from the final schemas (the docs module's TextOp, for one).
        services.PostConfigure<OpenApiOptions>(DocumentName, options => options.AddDocumentTransformer(new ExamplesTransformer()));
        return services;
    }

    /// <summary>Describes a tag (one per module) in the document.</summary>
    public static IServiceCollection AddApiTag(this IServiceCollection services, string name, string description) =>
        services.Configure<OpenApiOptions>(DocumentName, options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Tags ??= new HashSet<OpenApiTag>();
            if (document.Tags.FirstOrDefault(t => t.Name == name) is { } tag)
            {
                tag.Description = description;
            }
            else
            {
                document.Tags.Add(new OpenApiTag { Name = name, Description = description });
            }

            return Task.CompletedTask;
        }));
}
