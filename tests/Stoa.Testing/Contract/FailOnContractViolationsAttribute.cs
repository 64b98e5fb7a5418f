using System.Reflection;
using Xunit.v3;

namespace Stoa.Testing.Contract;

/// <summary>
/// Fails a test when, by its end, a running app of the test process has answered a request against its OpenAPI
/// document and no call has failed for it yet. The factory's own clients fail at the call, and an app a test owns fails
/// that test when it is disposed; but a browser or a plain HttpClient talking to an app many tests share (an assembly
/// fixture) would only be reported when the fixture is disposed, after every test has been reported passed. Put on an
/// assembly with such a fixture: <c>[assembly: FailOnContractViolations]</c>. Where tests run in parallel, a
/// violation fails whichever test ends first after it was recorded, which the message says.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class)]
public sealed class FailOnContractViolationsAttribute : BeforeAfterTestAttribute
{
    public override void After(MethodInfo methodUnderTest, IXunitTest test)
    {
        var found = ContractViolations.TakeUnreported();
        if (found.Count > 0)
        {
            throw new ContractViolationException(
                $"{found.Count} response(s) of a running app broke the OpenAPI document during this test (or, where tests run in "
                + "parallel, during one that ran beside it; docs/api.md: fix the document or the server):\n  "
                + string.Join("\n  ", found.Take(40)));
        }
    }
}
