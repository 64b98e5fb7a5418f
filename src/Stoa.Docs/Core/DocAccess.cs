namespace Stoa.Docs.Core;

/// <summary>Who may open a document: every user of the app (the default), or only the users its member list names.</summary>
internal enum AccessMode
{
    App,
    Members,
}

/// <summary>A document's access rule as stored: the mode and its creator, who is always a member.</summary>
internal sealed record DocAccessRule(AccessMode Mode, string? CreatedBy)
{
    public static DocAccessRule Everyone { get; } = new(AccessMode.App, null);

    public static string Name(AccessMode mode) => mode == AccessMode.App ? "app" : "members";

    public static AccessMode? Parse(string? name) => name switch
    {
        "app" => AccessMode.App,
        "members" => AccessMode.Members,
        _ => null,
    };
}
