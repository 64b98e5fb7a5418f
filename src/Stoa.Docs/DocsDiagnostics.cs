using Microsoft.Extensions.DependencyInjection;
using Stoa.Docs.Relay;

namespace Stoa.Docs;

/// <summary>Read-only figures about this node's open documents, for benchmarks and diagnostics.</summary>
internal static class DocsDiagnostics
{
    /// <summary>Documents with at least one live WebSocket on this node.</summary>
    public static int OpenDocuments(IServiceProvider services) => services.GetRequiredService<DocRelay>().OpenDocuments;

    /// <summary>Bytes the relay holds for open documents (their text and recent ops), as it estimates them.</summary>
    public static long RelayBytes(IServiceProvider services) => services.GetRequiredService<DocRelay>().ApproximateBytes;
}
