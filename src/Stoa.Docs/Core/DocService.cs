using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stoa.Foundation.Engine;
using Stoa.Foundation.Errors;
using Stoa.Foundation.Realtime;
using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>
/// ShareDB's submit pipeline: an op made on version <c>baseVersion</c> is transformed against every op committed
/// since, one at a time, checked against the current text, and committed at the next version, where the store's
/// primary key decides races between nodes (the loser catches up and transforms again). A resent op (same client id
/// and seq) is answered with the version it was first committed at. Committed ops are announced on the document's
/// realtime topic: this node's relay gets them at once, the other nodes' through the engine's pub/sub.
/// </summary>
internal sealed partial class DocService
{
    private const int MaxCommitAttempts = 64;

    /// <summary>Most ops read from the store at once.</summary>
    internal const int PageSize = 1_000;

    private const int MaxBatch = 256;
    private static readonly TimeSpan s_batchTimeout = TimeSpan.FromSeconds(30);

    private readonly IDocStore _store;
    private readonly IEngine _engine;
    private readonly RealtimeHub _hub;
    private readonly DocOptions _options;
    private readonly DocMetrics _metrics;
    private readonly ILogger<DocService> _logger;
    private readonly ConcurrentDictionary<(Guid, Guid), DocState> _states = new();
    private long _clock;

    /// <summary>The type of a committed op's message on the document's topic.</summary>
    public const string OpType = "op";

    public DocService(IDocStore store, IEngine engine, RealtimeHub hub, IOptions<DocOptions> options, DocMetrics metrics, ILogger<DocService> logger)
    {
        _store = store;
        _engine = engine;
        _hub = hub;
        _options = options.Value;
        _metrics = metrics;
        _logger = logger;
    }

    public DocOptions Options => _options;

    /// <summary>The realtime topic a document's committed ops are published on.</summary>
    public static string Channel(Guid appId, Guid docId) => EngineKeys.For(appId, "docs", docId.ToString("N"));

    public async Task<(Guid Id, DocSnapshot Snapshot)> CreateAsync(Guid appId, string? userId, string? text, CancellationToken cancellationToken)
    {
        text ??= "";
        var length = CodePoints.CountIfValid(text);
        if (length < 0)
        {
            throw Validation.Failed("text", "must be valid Unicode text (no lone surrogate)");
        }

        if (length > _options.MaxDocumentLength)
        {
            throw DocErrors.TooLargeDoc(_options.MaxDocumentLength);
        }

        var id = Guid.NewGuid();
        await _store.CreateAsync(appId, id, text, userId, cancellationToken);
        return (id, new DocSnapshot(0, text));
    }

    /// <summary>The current text and version, caught up with the store.</summary>
    public async Task<DocSnapshot> GetAsync(Guid appId, Guid docId, CancellationToken cancellationToken)
    {
        var state = State(appId, docId);
        await state.Gate.WaitAsync(cancellationToken);
        try
        {
            await CatchUpAsync(state, cancellationToken);
            return new DocSnapshot(state.Version, state.Text);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    /// <summary>Ops after <paramref name="after"/> (at most <paramref name="limit"/>) and the head version.</summary>
    public async Task<(IReadOnlyList<CommittedOp> Ops, long Head)> GetOpsAsync(Guid appId, Guid docId, long after, int limit, CancellationToken cancellationToken)
    {
        var head = await _store.GetHeadAsync(appId, docId, cancellationToken) ?? throw DocErrors.NotFound(docId);
        if (after > head)
        {
            throw DocErrors.Ahead(after, head);
        }

        var ops = after == head ? [] : await _store.GetOpsAsync(appId, docId, after, limit, cancellationToken);
        return (ops, head);
    }

    /// <summary>Ops after <paramref name="after"/> straight from the store (the relay's gap filler).</summary>
    internal Task<IReadOnlyList<CommittedOp>> LoadOpsAsync(Guid appId, Guid docId, long after, CancellationToken cancellationToken) =>
        _store.GetOpsAsync(appId, docId, after, PageSize, cancellationToken);

    /// <summary>Checks the op's size before anything else is done with it (413 <c>op_too_large</c>).</summary>
    public void CheckSize(TextOp op)
    {
        if (op.Count > _options.MaxOpComponents)
        {
            throw DocErrors.TooLargeOp($"An op may have at most {_options.MaxOpComponents} components (this one has {op.Count}).");
        }

        long edited = 0;
        foreach (var component in op.Components)
        {
            if (component.Text is not null)
            {
                edited += component.Length;
            }
        }

        if (edited > _options.MaxOpLength)
        {
            throw DocErrors.TooLargeOp($"An op may insert or delete at most {_options.MaxOpLength} code points of text (this one has {edited}).");
        }
    }

    /// <summary>Takes one token from the user's op bucket (429 <c>rate_limited</c> when empty).</summary>
    public async Task CheckRateAsync(Guid appId, string? userId, CancellationToken cancellationToken)
    {
        var policy = new RateLimitPolicy(_options.OpsBurst, _options.OpsPerSecond);
        RateLimitDecision decision;
        try
        {
            decision = await _engine.TryTakeAsync(EngineKeys.For(appId, "docs", "ops", userId ?? "server"), policy, 1, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // An unreachable limiter must not stop editing; the store still bounds what can be committed.
            LogLimiterFailure(_logger, e);
            return;
        }

        if (!decision.Allowed)
        {
            throw DocErrors.Limited(decision.RetryAfter);
        }
    }

    /// <summary>
    /// Commits an op made on <paramref name="baseVersion"/>. Concurrent submits to one document on this node are
    /// committed together (group commit): whoever holds the document's gate transforms and checks every queued op in
    /// turn and inserts them in one transaction, so a busy document costs one store round trip per batch, not per op.
    /// </summary>
    public async Task<SubmitResult> SubmitAsync(Guid appId, Guid docId, string? userId, long baseVersion, TextOp op, string clientId, long seq,
        CancellationToken cancellationToken)
    {
        CheckSize(op);
        var started = Stopwatch.GetTimestamp();
        var state = State(appId, docId);
        var pending = new PendingSubmit(baseVersion, op, clientId, seq, userId);
        state.Pending.Enqueue(pending);
        while (!pending.Task.IsCompleted)
        {
            await state.Gate.WaitAsync(cancellationToken);
            try
            {
                if (!pending.Task.IsCompleted)
                {
                    await CommitBatchAsync(state);
                }
            }
            finally
            {
                state.Gate.Release();
            }
        }

        var result = await pending.Task;
        _metrics.Submitted(Stopwatch.GetElapsedTime(started));
        return result;
    }

    // Under the gate.
    private async Task CommitBatchAsync(DocState state)
    {
        var batch = new List<PendingSubmit>();
        while (batch.Count < MaxBatch && state.Pending.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        using var deadline = new CancellationTokenSource(s_batchTimeout);
        var cancellationToken = deadline.Token;
        try
        {
            if (!state.Loaded)
            {
                await LoadAsync(state, cancellationToken);
            }

            for (var attempt = 1; ; attempt++)
            {
                if (batch.Any(p => !p.IsDone && p.BaseVersion > state.Version))
                {
                    // Another node may have committed what the client saw; only the store can say it is ahead.
                    await CatchUpAsync(state, cancellationToken);
                }

                var rows = new List<CommittedOp>();
                var inBatchDuplicates = new List<(PendingSubmit Submit, CommittedOp Row)>();
                var accepted = new List<(PendingSubmit Submit, CommittedOp Row)>();
                var text = state.Text;
                var length = state.Length;
                foreach (var submit in batch)
                {
                    if (submit.IsDone)
                    {
                        continue;
                    }

                    try
                    {
                        var row = await PrepareAsync(state, submit, rows, inBatchDuplicates, text, length, cancellationToken);
                        if (row is not null)
                        {
                            text = row.Value.Text;
                            length = row.Value.Length;
                            rows.Add(row.Value.Op);
                            accepted.Add((submit, row.Value.Op));
                        }
                    }
                    catch (ApiException e)
                    {
                        submit.Fail(e);
                    }
                }

                if (rows.Count == 0)
                {
                    return;
                }

                var outcome = await _store.TryInsertOpsAsync(state.AppId, state.DocId, rows, cancellationToken);
                if (outcome == InsertOutcome.Inserted)
                {
                    var before = state.Version;
                    state.AppendBatch(rows, text, length);
                    await AfterCommitAsync(state, rows, before, text);
                    _metrics.Committed(rows.Count);
                    foreach (var (submit, row) in accepted)
                    {
                        submit.Complete(new SubmitResult(row.Version, Duplicate: false));
                    }

                    foreach (var (submit, row) in inBatchDuplicates)
                    {
                        _metrics.Duplicate();
                        submit.Complete(new SubmitResult(row.Version, Duplicate: true));
                    }

                    return;
                }

                if (outcome == InsertOutcome.DuplicateSeq)
                {
                    // Committed before, at a version this node has not seen or under an older base version.
                    foreach (var (submit, _) in accepted)
                    {
                        if (await _store.FindVersionAsync(state.AppId, state.DocId, submit.ClientId, submit.Seq, cancellationToken) is { } version)
                        {
                            _metrics.Duplicate();
                            submit.Complete(new SubmitResult(version, Duplicate: true));
                        }
                    }
                }
                else
                {
                    _metrics.Conflict();
                }

                if (attempt >= MaxCommitAttempts)
                {
                    throw DocErrors.Busy();
                }

                await CatchUpAsync(state, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (var submit in batch)
            {
                submit.Fail(e);
            }
        }
    }

    /// <summary>
    /// Transforms one queued op past everything committed since its base version (and the ops before it in the batch)
    /// and checks it against the text; null when it is a resend of an op already committed.
    /// </summary>
    private async Task<(CommittedOp Op, string Text, int Length)?> PrepareAsync(DocState state, PendingSubmit submit, List<CommittedOp> batch,
        List<(PendingSubmit, CommittedOp)> inBatchDuplicates, string text, int length, CancellationToken cancellationToken)
    {
        var head = state.Version + batch.Count;
        if (submit.BaseVersion > state.Version)
        {
            throw DocErrors.Ahead(submit.BaseVersion, head);
        }

        if (head - submit.BaseVersion > _options.MaxVersionLag)
        {
            throw DocErrors.TooOld(submit.BaseVersion, head, _options.MaxVersionLag);
        }

        var committed = state.OpsAfter(submit.BaseVersion) ?? await LoadRangeAsync(state, submit.BaseVersion, cancellationToken);
        var transformed = submit.Op;
        foreach (var other in committed.Concat(batch))
        {
            if (other.Seq == submit.Seq && string.Equals(other.ClientId, submit.ClientId, StringComparison.Ordinal))
            {
                if (other.Version <= state.Version)
                {
                    _metrics.Duplicate();
                    submit.Complete(new SubmitResult(other.Version, Duplicate: true));
                }
                else
                {
                    inBatchDuplicates.Add((submit, other));
                }

                return null;
            }

            transformed = TextOt.Transform(transformed, other.Op, TransformSide.Left);
        }

        if (transformed.InputLength > length)
        {
            throw DocErrors.Invalid($"The op reads {transformed.InputLength} code points but the document has {length} at version {head}.");
        }

        var lengthAfter = DocState.LengthAfter(length, transformed);
        if (lengthAfter > _options.MaxDocumentLength)
        {
            throw DocErrors.TooLargeDoc(_options.MaxDocumentLength);
        }

        string textAfter;
        try
        {
            textAfter = TextOt.Apply(text, transformed);
        }
        catch (OtException e)
        {
            throw DocErrors.Invalid(e);
        }

        return (new CommittedOp(head + 1, transformed, submit.ClientId, submit.Seq, submit.UserId), textAfter, lengthAfter);
    }

    /// <summary>
    /// The ops are durable: nothing here may fail the submits. This node's relay gets them first, in version order,
    /// whatever the engine does; pub/sub carries them to the other nodes, which fill any gap from the store.
    /// </summary>
    private async Task AfterCommitAsync(DocState state, List<CommittedOp> rows, long before, string text)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var messages = new List<RealtimeMessage>(rows.Count);
        foreach (var row in rows)
        {
            messages.Add(DeliverHere(state.AppId, state.DocId, row));
        }

        foreach (var message in messages)
        {
            try
            {
                await _hub.SendToOtherNodesAsync(message, deadline.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogAfterCommitFailure(_logger, "publish", e);
                break;
            }
        }

        var every = _options.SnapshotEvery;
        if (every > 0 && before / every != state.Version / every)
        {
            try
            {
                await _store.SaveSnapshotAsync(state.AppId, state.DocId, new DocSnapshot(state.Version, text), deadline.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogAfterCommitFailure(_logger, "snapshot", e);
            }
        }
    }

    private RealtimeMessage DeliverHere(Guid appId, Guid docId, CommittedOp committed) =>
        _hub.DeliverHere(Channel(appId, docId), OpType, DocWire.CommittedPayload(committed));

    private DocState State(Guid appId, Guid docId)
    {
        var state = _states.GetOrAdd((appId, docId), static key => new DocState(key.Item1, key.Item2));
        state.LastUsed = Interlocked.Increment(ref _clock);
        if (_states.Count > _options.MaxCachedDocs)
        {
            Evict();
        }

        return state;
    }

    private void Evict()
    {
        // Forget the least recently used half; an evicted document is simply loaded again from the store.
        var cutoff = _states.Values.Select(s => s.LastUsed).Order().ElementAt(_states.Count / 2);
        foreach (var (key, state) in _states)
        {
            if (state.LastUsed < cutoff)
            {
                _states.TryRemove(key, out _);
            }
        }
    }

    private async Task LoadAsync(DocState state, CancellationToken cancellationToken)
    {
        var snapshot = await _store.GetSnapshotAsync(state.AppId, state.DocId, long.MaxValue, cancellationToken)
            ?? throw DocErrors.NotFound(state.DocId);
        state.Load(snapshot);
        await ApplyFromStoreAsync(state, cancellationToken);
    }

    private async Task CatchUpAsync(DocState state, CancellationToken cancellationToken)
    {
        if (!state.Loaded)
        {
            await LoadAsync(state, cancellationToken);
            return;
        }

        await ApplyFromStoreAsync(state, cancellationToken);
    }

    private async Task ApplyFromStoreAsync(DocState state, CancellationToken cancellationToken)
    {
        while (true)
        {
            var ops = await _store.GetOpsAsync(state.AppId, state.DocId, state.Version, PageSize, cancellationToken);
            foreach (var op in ops)
            {
                state.Append(op, TextOt.Apply(state.Text, op.Op), DocState.LengthAfter(state.Length, op.Op));
            }

            if (ops.Count < PageSize)
            {
                return;
            }
        }
    }

    private async Task<IReadOnlyList<CommittedOp>> LoadRangeAsync(DocState state, long after, CancellationToken cancellationToken)
    {
        var all = new List<CommittedOp>();
        while (after < state.Version)
        {
            var page = await _store.GetOpsAsync(state.AppId, state.DocId, after, (int)Math.Min(PageSize, state.Version - after), cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            all.AddRange(page);
            after = page[^1].Version;
        }

        return all;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The docs rate limiter could not reach the engine; op let through")]
    private static partial void LogLimiterFailure(ILogger logger, Exception e);

    [LoggerMessage(Level = LogLevel.Warning, Message = "After committing an op, the {Step} step failed; readers will catch up from the store")]
    private static partial void LogAfterCommitFailure(ILogger logger, string step, Exception e);
}
