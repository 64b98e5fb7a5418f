using System.Security.Cryptography;
using System.Text;

namespace Stoa.Comments.Core;

/// <summary>Ids of comments created with an Idempotency-Key.</summary>
internal static class CommentIds
{
    public const int MaxKeyLength = 255;

    /// <summary>
    /// The same (app, user, key) always gives the same id, so a retried create finds the comment its first attempt
    /// made, in the same transaction and with no table of keys. The id is a SHA-256 prefix (UUID version 8, RFC 9562),
    /// as evenly spread as a random one; the user is part of it, so one user's key never names another's comment.
    /// </summary>
    public static Guid Keyed(Guid appId, string userId, string key)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes($"stoa.comments\n{appId:N}\n{userId}\n{key}"), hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>1 to 255 visible ASCII characters, as the header's common use (Stripe, the IETF draft) expects.</summary>
    public static bool IsValidKey(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= '!' and <= '~');
}
