namespace Stoa.Architecture.Tests;

/// <summary>
/// A module shows other assemblies its <c>*Module</c> entry and its ports, nothing else: everything inside it can
/// change without another module, Stoa.Server or a client noticing. Tests and benchmarks reach the inside through
/// InternalsVisibleTo.
/// </summary>
public sealed class VisibilityTests
{
    [Theory]
    [MemberData(nameof(Module.Names), MemberType = typeof(Module))]
    public void A_module_exposes_only_its_entry_and_its_ports(string name)
    {
        // The entry of a served module is its static *Module class (AddX, MapX): the composition root's only handle.
        var module = Module.Named(name);
        ArchitectureRules.PublicTypesBeyond(module.Assembly, [module.Entry, .. module.Ports]).ShouldBeEmpty();
    }
}
