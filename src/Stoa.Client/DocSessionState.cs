namespace Stoa.Client;

/// <summary>The classic OT client states (ot.js, ShareDB).</summary>
public enum DocSessionState
{
    /// <summary>Every local edit is acknowledged.</summary>
    Synchronized,

    /// <summary>One op is in flight, waiting for its ack.</summary>
    AwaitingConfirm,

    /// <summary>One op is in flight and later local edits are composed into a buffer, sent after the ack.</summary>
    AwaitingWithBuffer,
}
