using System.Collections.Concurrent;

namespace Stoa.Chaos;

/// <summary>The workload's own record of acknowledged writes, checked against the API afterwards.</summary>
internal sealed class WriteLog
{
    /// <summary>The phase (fault) writes are attributed to from now on.</summary>
    public string Phase { get; set; } = "";

    /// <summary>Comments whose create was answered 201, with the phase.</summary>
    public ConcurrentDictionary<Guid, string> Comments { get; } = new();

    /// <summary>Per comment, every vote sent in order, with whether it was acknowledged.</summary>
    public ConcurrentDictionary<Guid, List<(int Value, bool Acked, string Phase)>> Votes { get; } = new();

    /// <summary>Doc op acks: (clientId, seq) → the version it was committed at, and the phase.</summary>
    public ConcurrentDictionary<(string ClientId, long Seq), (long Version, string Phase)> DocAcks { get; } = new();

    /// <summary>Tokens the doc clients inserted, with the phase.</summary>
    public ConcurrentBag<(string Token, string Phase)> DocEdits { get; } = [];

    /// <summary>
    /// The vote values the server may hold for a comment: the last acknowledged one, or any sent after it whose answer
    /// was lost (committed or not, the client cannot know). Null when no vote was acknowledged.
    /// </summary>
    public static HashSet<int>? AllowedVotes(List<(int Value, bool Acked, string Phase)> votes)
    {
        var lastAcked = votes.FindLastIndex(v => v.Acked);
        if (lastAcked < 0)
        {
            return null;
        }

        return [.. votes.Skip(lastAcked).Select(v => v.Value)];
    }
}
