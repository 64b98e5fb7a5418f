using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Stoa.Comments.Core;

namespace Stoa.Comments.Api;

/// <summary>
/// Opaque base64url cursors. The cursor names its sort and parent so that one from another listing is refused
/// rather than silently applied to the wrong order.
/// </summary>
internal static class CursorCodec
{
    private const string Version = "c1";

    public static string Encode(PageCursor cursor) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(string.Join('|',
        Version,
        cursor.Sort.Name(),
        cursor.ParentId?.ToString("N") ?? "-",
        cursor.LongKey.ToString(CultureInfo.InvariantCulture),
        cursor.DoubleKey.ToString("R", CultureInfo.InvariantCulture),
        cursor.LastId.ToString("N"))));

    public static bool TryDecode(string text, CommentSort sort, Guid? parentId, out PageCursor? cursor)
    {
        cursor = null;
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|');
        }
        catch (FormatException)
        {
            return false;
        }

        if (parts.Length != 6 || parts[0] != Version || parts[1] != sort.Name()
            || parts[2] != (parentId?.ToString("N") ?? "-")
            || !long.TryParse(parts[3], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var longKey)
            || !double.TryParse(parts[4], NumberStyles.Float, CultureInfo.InvariantCulture, out var doubleKey)
            || !double.IsFinite(doubleKey)
            || !Guid.TryParseExact(parts[5], "N", out var lastId))
        {
            return false;
        }

        if (sort.ByTime() && (longKey < DateTimeOffset.MinValue.UtcTicks || longKey > DateTimeOffset.MaxValue.UtcTicks))
        {
            return false;
        }

        cursor = new PageCursor(sort, parentId, longKey, doubleKey, lastId);
        return true;
    }
}
