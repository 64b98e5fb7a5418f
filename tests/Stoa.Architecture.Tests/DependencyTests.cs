using Stoa.Foundation.Errors;
using Stoa.Ot;
using Stoa.Redis;

namespace Stoa.Architecture.Tests;

/// <summary>Who may reference whom, read from each assembly's references: one direction, no cycles.</summary>
public sealed class DependencyTests
{
    [Theory]
    [MemberData(nameof(Module.Names), MemberType = typeof(Module))]
    public void A_module_references_no_other_module(string name) =>
        ArchitectureRules.References(Module.Named(name).Assembly, a => !Module.IsModuleAssembly(a))
            .ShouldBeEmpty("where one module needs another it declares a port, and Stoa.Server plugs the other in");

    [Fact]
    public void Foundation_references_no_module() =>
        ArchitectureRules.References(typeof(ApiException).Assembly, a => !Module.IsModuleAssembly(a)).ShouldBeEmpty();

    [Fact]
    public void Redis_client_references_only_the_base_class_library() =>
        ArchitectureRules.References(typeof(RedisClient).Assembly, ArchitectureRules.IsBaseClassLibrary)
            .ShouldBeEmpty("Stoa.Redis is reusable outside Stoa: no logging framework, no DI, no package");

    [Fact]
    public void Ot_references_only_the_base_class_library() =>
        ArchitectureRules.References(typeof(TextOp).Assembly, ArchitectureRules.IsBaseClassLibrary)
            .ShouldBeEmpty("Stoa.Ot is shared by the server and the clients");

    [Fact]
    public void Docs_protocol_references_only_the_base_class_library_and_the_ot_type() =>
        ArchitectureRules.References(typeof(Docs.Protocol.DocMessages).Assembly, a => ArchitectureRules.IsBaseClassLibrary(a) || a.Name == "Stoa.Ot")
            .ShouldBeEmpty("the socket's messages are shared with the clients, which take nothing of the server");

    [Fact]
    public void Client_references_only_the_base_class_library_the_ot_type_and_the_docs_protocol() =>
        ArchitectureRules.References(typeof(Client.DocSession).Assembly,
                a => ArchitectureRules.IsBaseClassLibrary(a) || a.Name is "Stoa.Ot" or "Stoa.Docs.Protocol")
            .ShouldBeEmpty("apps use the client without the server's dependencies");
}
