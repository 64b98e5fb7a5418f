using Microsoft.Extensions.DependencyInjection;
using Stoa.Docs.Relay;

namespace Stoa.Docs;

/// <summary>Read-only figures about this node's open documents, for benchmarks and diagnostics.</summary>
internal static class DocsDiagnostics
{
    /// <summary>Documents with at least one live WebSocket on this node.</summary>
    public static int OpenDocuments(IServiceProvider services) => services.GetRequiredService<DocRelay>().OpenDocuments;

    /// <summary>Bytes the relay holds for open documents (their recent ops), as it estimates them.</summary>
    public static long RelayBytes(IServiceProvider services) => services.GetRequiredService<DocRelay>().ApproximateBytes;

    /// <summary>Bytes the sequencers hold (documents' text and recent ops), as they estimate them.</summary>
    public static long SequencerBytes(IServiceProvider services) => services.GetRequiredService<Core.DocSequencers>().ApproximateBytes;
}
