using System.Reflection;
using Stoa.Architecture.Tests.Samples;

namespace Stoa.Architecture.Tests;

/// <summary>Each rule, run on the deliberately bad samples of this assembly, names them: a rule that cannot fail proves nothing.</summary>
public sealed class RuleSelfTests
{
    private static readonly Assembly s_samples = typeof(SampleLeak).Assembly;

    [Fact]
    public void A_core_type_that_uses_aspnetcore_is_caught()
    {
        ArchitectureRules.Uses(s_samples, "Stoa.Architecture.Tests.Samples.Bad.Core", "Microsoft.AspNetCore", "Npgsql")
            .ShouldContain(t => t.Contains("SampleService", StringComparison.Ordinal));
        ArchitectureRules.Uses(s_samples, "Stoa.Architecture.Tests.Samples.Good.Core", "Microsoft.AspNetCore", "Npgsql").ShouldBeEmpty();
    }

    [Fact]
    public void A_storage_type_that_uses_an_api_type_is_caught() =>
        ArchitectureRules.Uses(s_samples, "Stoa.Architecture.Tests.Samples.Bad.Storage", "Stoa.Architecture.Tests.Samples.Bad.Api")
            .ShouldContain(t => t.Contains("SampleCache", StringComparison.Ordinal));

    [Fact]
    public void A_core_port_implemented_in_api_is_caught() =>
        ArchitectureRules.ImplementsPortOf(s_samples, "Stoa.Architecture.Tests.Samples.Bad.Api", "Stoa.Architecture.Tests.Samples.Bad.Core")
            .ShouldHaveSingleItem().ShouldContain("SampleEvents implements");

    [Fact]
    public void A_reference_to_a_module_is_caught() =>
        ArchitectureRules.References(s_samples, a => !Module.IsModuleAssembly(a)).ShouldContain("Stoa.Comments");

    [Fact]
    public void A_reference_beyond_the_base_class_library_is_caught()
    {
        var beyond = ArchitectureRules.References(s_samples, ArchitectureRules.IsBaseClassLibrary);
        beyond.ShouldContain("NetArchTest.Rules");
        beyond.ShouldNotContain("System.Runtime");
    }

    [Fact]
    public void A_public_type_beyond_the_entry_and_the_ports_is_caught()
    {
        var leaks = ArchitectureRules.PublicTypesBeyond(s_samples, [typeof(SampleModule), typeof(LayerTests)]);
        leaks.ShouldContain(typeof(SampleLeak).FullName!);
        leaks.ShouldNotContain(typeof(SampleModule).FullName!);
        leaks.ShouldNotContain(typeof(LayerTests).FullName!);
    }
}
