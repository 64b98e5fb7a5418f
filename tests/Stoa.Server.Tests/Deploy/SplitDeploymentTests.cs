using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Testing;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// Runs the real app once per Deployment of deploy/k8s, with that Deployment's Stoa__Modules, and checks the manifests
/// against what it actually serves: the probe paths answer, and the ingress sends each /v1 route to the group that
/// maps it (and no prefix to a group that has nothing under it).
/// </summary>
public sealed class SplitDeploymentTests
{
    public static TheoryData<string> Deployments() => [.. KubernetesManifests.OfKind("Deployment").Select(d => d.Name)];

    [Theory]
    [MemberData(nameof(Deployments))]
    public async Task The_group_answers_its_probes_and_the_ingress_routes_exactly_its_endpoints(string name)
    {
        var deployment = KubernetesManifests.Get("Deployment", name);
        var modules = string.Join(',', ManifestTests.ModulesOf(deployment));
        await using var app = new StoaAppFactory<Program>(TestStores.CreateSqlite(), new Dictionary<string, string?> { ["Stoa:Modules"] = modules });
        app.StartServer();
        using var client = app.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var container = deployment["spec"]["template"]["spec"]["containers"].Items.Single();
        foreach (var probe in new[] { "startupProbe", "livenessProbe", "readinessProbe" })
        {
            var path = container[probe]["httpGet"]["path"].String;
            (await client.GetAsync(path, ct)).StatusCode.ShouldBe(HttpStatusCode.OK, $"{deployment} {probe} {path}");
        }

        var services = KubernetesManifests.OfKind("Service")
            .Where(s => ManifestTests.Selects(s["spec"]["selector"], deployment["spec"]["template"]["metadata"]["labels"]))
            .Select(s => s.Name)
            .ToHashSet(StringComparer.Ordinal);
        var paths = IngressPath.All();
        var mine = paths.Where(p => services.Contains(p.Service)).ToList();
        var others = paths.Where(p => !services.Contains(p.Service)).ToList();

        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Route: "/" + e.RoutePattern.RawText!.TrimStart('/'), Platform: IsPlatform(e)))
            .Where(e => e.Route.StartsWith("/v1/", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        var routes = endpoints.Where(e => !e.Platform).Select(e => e.Route).ToList();
        routes.ShouldNotBeEmpty();
        foreach (var route in endpoints.Where(e => e.Platform).Select(e => e.Route))
        {
            // Every node serves the platform's own routes (/v1/app): the ingress sends them to exactly one group.
            paths.Count(p => p.Matches(route)).ShouldBe(1, $"{route} is served by every group and needs exactly one ingress path");
        }

        foreach (var route in routes)
        {
            mine.ShouldContain(path => path.Matches(route), $"{route} of {name} reaches it through no ingress path of {string.Join(", ", services)}");
            others.ShouldNotContain(path => path.Matches(route), $"{route} of {name} is also routed to another service");
        }

        foreach (var path in mine)
        {
            endpoints.Select(e => e.Route).ShouldContain(route => path.Matches(route), $"ingress path {path.Path} goes to {path.Service}, which serves nothing under it");
        }
    }

    private static bool IsPlatform(RouteEndpoint endpoint) =>
        endpoint.Metadata.GetMetadata<System.Reflection.MethodInfo>()?.DeclaringType?.Assembly == typeof(Stoa.Foundation.Auth.AppEndpoints).Assembly;
}
