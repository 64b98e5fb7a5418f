namespace Stoa.Foundation.Auth;

/// <summary>What a valid token says: the user id, and whether it is the app's backend.</summary>
public sealed record JwtClaims(string Subject, bool IsServer, DateTimeOffset? ExpiresAt);

/// <summary>Why a token was refused; <see cref="Code"/> is one of <see cref="AuthErrors"/>.</summary>
public sealed record JwtFailure(string Code, string Message);
