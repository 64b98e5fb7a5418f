using Stoa.Ot;

namespace Stoa.Docs.Core;

/// <summary>An op as committed: it turns version <c>Version - 1</c> of the document into version <see cref="Version"/>.</summary>
internal sealed record CommittedOp(long Version, TextOp Op, string ClientId, long Seq, string? UserId);

/// <summary>The text of a document at a version.</summary>
internal sealed record DocSnapshot(long Version, string Text);

/// <summary>The result of a submit: the version the op was committed at, and whether it had been committed before.</summary>
internal readonly record struct SubmitResult(long Version, bool Duplicate);
