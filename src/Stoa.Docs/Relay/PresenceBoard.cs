using System.Diagnostics.CodeAnalysis;
using Stoa.Docs.Core;
using Stoa.Ot;

namespace Stoa.Docs.Relay;

/// <summary>
/// Who is on one document as this node knows it: its own clients, and other nodes' clients as last heard over
/// pub/sub. Another node's client counts as gone once nothing about it was heard for the expiry time, because a node
/// that crashed (or a lost "offline" message) never says so; every node repeats its own clients well within that time.
/// Clients are keyed by user and client id, so one user's client id never stands for another's.
/// Not thread-safe: its owner calls it under its gate. Times are milliseconds of any monotonic clock.
/// </summary>
internal sealed class PresenceBoard(string nodeId)
{
    private readonly Dictionary<(string? UserId, string ClientId), Entry> _entries = [];

    public int Count => _entries.Count;

    public IEnumerable<Presence> All => _entries.Values.Select(static e => e.Presence);

    /// <summary>This node's own clients: what it repeats to the others.</summary>
    public List<Presence> Local() => [.. All.Where(p => p.NodeId == nodeId)];

    /// <summary>
    /// A join, a cursor move or a leave, from here or elsewhere: the message replaces what was known. Another node's
    /// word on a client connected here is stale (the client moved here, and its old node's leave came late) and is
    /// dropped; returns whether the message was taken.
    /// </summary>
    public bool Apply(Presence presence, long now)
    {
        if (presence.NodeId != nodeId && _entries.TryGetValue(presence.Key, out var known) && known.Presence.NodeId == nodeId)
        {
            return false;
        }

        if (presence.Online)
        {
            _entries[presence.Key] = new Entry(presence, now);
        }
        else
        {
            _entries.Remove(presence.Key);
        }

        return true;
    }

    /// <summary>
    /// Another node repeating its clients: known ones are only marked as heard (their cursors here have moved with
    /// the ops since, and the repeat may be older or newer than this node's version); unknown ones are added and
    /// returned, for a node that opened the document after they joined or missed their join.
    /// </summary>
    public List<Presence> Refresh(IEnumerable<Presence> repeated, long now)
    {
        var added = new List<Presence>();
        foreach (var presence in repeated)
        {
            if (!presence.Online || presence.NodeId == nodeId)
            {
                continue;
            }

            if (_entries.TryGetValue(presence.Key, out var known))
            {
                _entries[presence.Key] = known with { HeardAt = now };
            }
            else
            {
                _entries[presence.Key] = new Entry(presence, now);
                added.Add(presence);
            }
        }

        return added;
    }

    /// <summary>Removes the other nodes' clients not heard of for <paramref name="expiry"/> ms; returns them as offline.</summary>
    public List<Presence> Expire(long now, long expiry)
    {
        var gone = new List<Presence>();
        foreach (var (_, entry) in _entries)
        {
            if (entry.Presence.NodeId != nodeId && now - entry.HeardAt > expiry)
            {
                gone.Add(entry.Presence with { Online = false, Cursor = null });
            }
        }

        foreach (var presence in gone)
        {
            _entries.Remove(presence.Key);
        }

        return gone;
    }

    public bool Remove((string? UserId, string ClientId) key, [MaybeNullWhen(false)] out Presence presence)
    {
        var removed = _entries.Remove(key, out var entry);
        presence = entry.Presence;
        return removed;
    }

    /// <summary>Moves every cursor but the author's past a delivered op, so it keeps pointing at the same text.</summary>
    public void Transform(CommittedOp op)
    {
        foreach (var (key, entry) in _entries.ToList())
        {
            if (entry.Presence.Cursor is { } cursor && key != (op.UserId, op.ClientId))
            {
                _entries[key] = entry with { Presence = entry.Presence with { Cursor = TextOt.TransformPosition(cursor, op.Op) } };
            }
        }
    }

    private readonly record struct Entry(Presence Presence, long HeardAt);
}
