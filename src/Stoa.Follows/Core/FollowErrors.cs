namespace Stoa.Follows.Core;

/// <summary>The follows module's error codes.</summary>
internal static class FollowErrors
{
    public const string CannotFollowSelf = "cannot_follow_self";
    public const string InvalidCursor = "invalid_cursor";
}
