using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Stoa.Server.Ports;

/// <summary>
/// The channel a comments node without previews calls the previews nodes on (<c>Stoa:Previews:GrpcUrl</c>). One URL is
/// used as given (a balancer or a Kubernetes Service in front). Several URLs, or a <c>dns:///</c> name (a headless
/// Service: one address per pod), are spread round robin by the channel itself: gRPC keeps one HTTP/2 connection, so a
/// connection-level balancer in between would send every call to whichever node it picked first.
/// </summary>
internal static class PreviewsChannel
{
    /// <summary>How often a <c>dns:///</c> name is looked up again, so that pods that come and go are found.</summary>
    private static readonly TimeSpan s_dnsRefresh = TimeSpan.FromSeconds(30);

    public static GrpcChannel For(IReadOnlyList<Uri> targets)
    {
        if (targets is [{ Scheme: "http" or "https" } single])
        {
            return GrpcChannel.ForAddress(single);
        }

        var services = new ServiceCollection();
        Uri address;
        ChannelCredentials credentials;
        if (targets is [{ Scheme: "dns" } name])
        {
            services.AddSingleton<ResolverFactory>(new DnsResolverFactory(s_dnsRefresh));
            address = name;
            credentials = ChannelCredentials.Insecure;
        }
        else
        {
            var addresses = targets.Select(t => new BalancerAddress(t.Host, t.Port)).ToArray();
            services.AddSingleton<ResolverFactory>(new StaticResolverFactory(_ => addresses));
            address = new Uri("static:///previews");
            credentials = targets[0].Scheme == "https" ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        }

        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            Credentials = credentials,
            ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } },
            ServiceProvider = services.BuildServiceProvider(),
        });
    }
}
