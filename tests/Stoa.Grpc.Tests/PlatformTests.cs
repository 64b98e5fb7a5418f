using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Grpc;
using Stoa.Testing;

namespace Stoa.Grpc.Tests;

/// <summary>What every gRPC node offers besides the modules' services, and that gRPC is off unless asked for.</summary>
public sealed class PlatformTests
{
    [Fact]
    public async Task Health_answers_serving_and_reflection_lists_the_services_without_credentials()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite());
        var channel = node.Channel();
        var ct = TestContext.Current.CancellationToken;

        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), cancellationToken: ct);
        health.Status.ShouldBe(HealthCheckResponse.Types.ServingStatus.Serving);

        using var reflection = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo(cancellationToken: ct);
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, ct);
        (await reflection.ResponseStream.MoveNext(ct)).ShouldBeTrue();
        var services = reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();
        services.ShouldContain("stoa.v1.Quotes");
        services.ShouldContain("stoa.v1.Previews");
        services.ShouldContain("grpc.health.v1.Health");
        await reflection.RequestStream.CompleteAsync();
    }

    [Fact]
    public async Task A_node_runs_only_the_services_of_its_modules()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite(), new Dictionary<string, string?> { ["Stoa:Modules"] = "quotes" });
        var tenant = await node.CreateTenantAsync();
        var ct = TestContext.Current.CancellationToken;

        var refused = await Should.ThrowAsync<global::Grpc.Core.RpcException>(() => new V1.Previews.PreviewsClient(node.Channel())
            .GetPreviewAsync(new V1.GetPreviewRequest { Url = "http://example.com/" }, GrpcNode.Key(tenant), cancellationToken: ct).ResponseAsync);
        refused.StatusCode.ShouldBe(global::Grpc.Core.StatusCode.Unimplemented);
    }

    [Fact]
    public async Task Without_grpc_urls_the_node_serves_no_grpc()
    {
        await using var node = new GrpcNode(TestStores.CreateSqlite(), new Dictionary<string, string?> { ["Stoa:GrpcUrls"] = "" });
        node.StartServer();
        node.Services.GetService<GrpcListeners>().ShouldBeNull();
        using var client = node.CreateClient();
        var response = await client.PostAsync("/stoa.v1.Quotes/GetQuote",
            new ByteArrayContent([0, 0, 0, 0, 0]) { Headers = { ContentType = new("application/grpc") } }, TestContext.Current.CancellationToken);
        // No service answers: the route's 404, written as gRPC writes a refusal since the caller speaks gRPC.
        response.Headers.GetValues("grpc-status").ShouldBe(["5"]);
        response.Headers.GetValues(GrpcProblems.CodeTrailer).ShouldBe(["not_found"]);
    }
}
