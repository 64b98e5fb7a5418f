using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Stoa.Foundation.OpenApi;

namespace Stoa.Testing.Contract;

/// <summary>
/// Outermost middleware of every app a test starts: it copies each response to a documented operation (up to 1 MiB)
/// while passing it through, and checks status, media type and body against the app's own OpenAPI document
/// (generated once, in process, as <c>/openapi/v1.json</c> serves it: a request for it would show in the request
/// logs tests count). Streams are checked up to their media type; WebSocket upgrades by their status.
/// </summary>
internal sealed class ContractCheckMiddleware(RequestDelegate next, ContractViolations violations, IServiceProvider services)
{
    private const int MaxCapturedBytes = 1024 * 1024;
    private readonly Lazy<Task<OpenApiContract>> _contract = new(() => LoadAsync(services));

    public async Task InvokeAsync(HttpContext context)
    {
        var id = context.Request.Headers[ContractCheckHandler.Header].ToString();
        var problems = new List<(long, string)>();
        try
        {
            await CheckAsync(context, problems);
        }
        finally
        {
            if (id.Length > 0)
            {
                violations.Verdict(id, [.. problems]);
            }
        }
    }

    private async Task CheckAsync(HttpContext context, List<(long, string)> problems)
    {
        // The document describes /v1 only; anything else (the page, probes, gRPC calls) passes untouched.
        if (HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method) || !context.Request.Path.StartsWithSegments("/v1")
            || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        await using var capture = new CapturingStream(original, MaxCapturedBytes);
        context.Response.Body = capture;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } template } || context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            return;
        }

        var path = OpenApiContract.PathOf(template);
        if (!path.StartsWith("/v1", StringComparison.Ordinal))
        {
            return;
        }

        var contract = await _contract.Value;
        if (!contract.Describes(context.Request.Method, path))
        {
            return;
        }

        var contentType = context.Response.ContentType;
        var streamed = contentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
        var body = streamed || capture.Truncated ? null : capture.Captured;
        foreach (var problem in contract.Check(context.Request.Method, path, context.Response.StatusCode, contentType, body))
        {
            var violation = $"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} -> {context.Response.StatusCode}: {problem}";
            problems.Add((violations.Add(violation), violation));
        }
    }

    private static async Task<OpenApiContract> LoadAsync(IServiceProvider services)
    {
        var provider = services.GetRequiredKeyedService<IOpenApiDocumentProvider>(OpenApiSetup.DocumentName);
        var document = await provider.GetOpenApiDocumentAsync();
        return new OpenApiContract(await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1));
    }
}

/// <summary>Puts <see cref="ContractCheckMiddleware"/> in front of the app's own pipeline.</summary>
internal sealed class ContractCheckStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseMiddleware<ContractCheckMiddleware>();
        next(app);
    };
}
