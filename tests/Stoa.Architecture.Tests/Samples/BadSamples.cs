// Deliberately broken layering, for RuleSelfTests: each rule must name these types, or it proves nothing.
using Microsoft.AspNetCore.Http;

namespace Stoa.Architecture.Tests.Samples.Bad.Core
{
    internal interface ISampleEvents
    {
        void Published(string topic);
    }

    /// <summary>Core reaching for the HTTP context instead of declaring what it needs.</summary>
    internal sealed class SampleService
    {
        public static string PathOf(HttpContext context) => context.Request.Path;
    }
}

namespace Stoa.Architecture.Tests.Samples.Bad.Api
{
    internal sealed record SampleResponse(string Text);

    /// <summary>A Core port implemented next to the endpoints.</summary>
    internal sealed class SampleEvents : Core.ISampleEvents
    {
        public void Published(string topic)
        {
        }
    }
}

namespace Stoa.Architecture.Tests.Samples.Bad.Storage
{
    /// <summary>Storage borrowing an API contract.</summary>
    internal sealed class SampleCache
    {
        public static int LengthOf(object cached) => cached is Api.SampleResponse response ? response.Text.Length : 0;
    }
}

namespace Stoa.Architecture.Tests.Samples.Good.Core
{
    internal sealed class SampleRule
    {
        public static bool Accepts(string text) => text.Length is > 0 and <= 10;
    }
}

namespace Stoa.Architecture.Tests.Samples
{
    /// <summary>A type another assembly can see that is neither an entry nor a port.</summary>
    public sealed class SampleLeak
    {
    }

    /// <summary>An allowed entry.</summary>
    public static class SampleModule
    {
    }
}
