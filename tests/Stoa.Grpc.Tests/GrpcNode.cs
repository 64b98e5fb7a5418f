using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Stoa.Foundation.Grpc;
using Stoa.Testing;

namespace Stoa.Grpc.Tests;

/// <summary>A real node (in-process, on Kestrel) serving gRPC on a port of its own, and the calls an app's backend makes to it.</summary>
public sealed class GrpcNode : StoaAppFactory<Program>
{
    public GrpcNode(string store, IReadOnlyDictionary<string, string?>? settings = null)
        : base(store, WithDefaults(settings))
    {
    }

    /// <summary>The node's gRPC address (a free loopback port, bound at start).</summary>
    public Uri GrpcAddress
    {
        get
        {
            StartServer();
            return Services.GetRequiredService<GrpcListeners>().Addresses.Single();
        }
    }

    public GrpcChannel Channel() => GrpcChannel.ForAddress(GrpcAddress);

    public static Metadata Key(TestTenant tenant) => new() { { "x-api-key", tenant.ApiKey } };

    public static Metadata UserToken(TestTenant tenant, string userId) =>
        new() { { "x-api-key", tenant.ApiKey }, { "authorization", "Bearer " + TestTokens.User(tenant.Secret, userId) } };

    public static Metadata ServerToken(TestTenant tenant) =>
        new() { { "x-api-key", tenant.ApiKey }, { "authorization", "Bearer " + TestTokens.Server(tenant.Secret) } };

    private static Dictionary<string, string?> WithDefaults(IReadOnlyDictionary<string, string?>? settings) =>
        TestSettings.Merge(new Dictionary<string, string?>
        {
            ["Stoa:GrpcUrls"] = "http://127.0.0.1:0",
            ["Stoa:Quotes:Feed"] = "none",
            ["Stoa:RateLimits:Enabled"] = "false",
        }, settings);
}

/// <summary>What a refused call carried: its status and the REST API's stable code.</summary>
internal static class Refusals
{
    public static async Task<(StatusCode Status, string? Code)> OfAsync(Func<Task> call)
    {
        var ex = await Should.ThrowAsync<RpcException>(call);
        return (ex.StatusCode, ex.Trailers.GetValue(GrpcProblems.CodeTrailer));
    }
}
