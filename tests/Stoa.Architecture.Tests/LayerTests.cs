namespace Stoa.Architecture.Tests;

/// <summary>Inside a module: Core holds the rules and talks to nothing concrete; Storage and Api depend on Core, not on each other.</summary>
public sealed class LayerTests
{
    [Theory]
    [MemberData(nameof(Module.Names), MemberType = typeof(Module))]
    public void Core_uses_no_web_sql_or_redis_type(string name)
    {
        var module = Module.Named(name);
        ArchitectureRules.Uses(module.Assembly, module.Namespace + ".Core",
                "Microsoft.AspNetCore", "Npgsql", "Dapper", "Microsoft.Data.Sqlite", "Stoa.Redis")
            .ShouldBeEmpty("Core declares interfaces for what it needs; Storage and Api implement them");
    }

    [Theory]
    [MemberData(nameof(Module.Names), MemberType = typeof(Module))]
    public void Storage_uses_no_api_type(string name)
    {
        var module = Module.Named(name);
        ArchitectureRules.Uses(module.Assembly, module.Namespace + ".Storage", module.Namespace + ".Api")
            .ShouldBeEmpty("what Storage shares with Api belongs in Core");
    }

    [Theory]
    [MemberData(nameof(Module.Names), MemberType = typeof(Module))]
    public void Core_ports_are_not_implemented_in_api(string name)
    {
        var module = Module.Named(name);
        ArchitectureRules.ImplementsPortOf(module.Assembly, module.Namespace + ".Api", module.Namespace + ".Core")
            .ShouldBeEmpty("a port of Core is implemented in Storage (or Foundation), away from HTTP types");
    }

    [Theory]
    [MemberData(nameof(Module.Names), MemberType = typeof(Module))]
    public void Only_api_speaks_grpc(string name)
    {
        // gRPC is another API beside REST: its services and message mapping sit in Api, and Core and Storage know
        // neither the gRPC runtime nor the messages generated from proto/stoa/v1 (namespace Stoa.Grpc.V1).
        var module = Module.Named(name);
        foreach (var layer in new[] { ".Core", ".Storage" })
        {
            ArchitectureRules.Uses(module.Assembly, module.Namespace + layer, "Grpc.", "Google.Protobuf", "Stoa.Grpc")
                .ShouldBeEmpty($"{module.Namespace}{layer} uses gRPC types; convert in Api as the REST handlers do");
        }
    }

    [Fact]
    public void Previews_core_uses_no_fetching_type()
    {
        var previews = Module.Named("previews");
        ArchitectureRules.Uses(previews.Assembly, "Stoa.Previews.Core", "Stoa.Previews.Fetching")
            .ShouldBeEmpty("Core decides what to fetch; Fetching does the network, behind an interface Core declares");
    }
}
