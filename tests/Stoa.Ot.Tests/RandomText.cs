using System.Text;

namespace Stoa.Ot.Tests;

/// <summary>Random documents and ops for property tests: ASCII, astral emoji, ZWJ sequences, flags, combining marks, CJK.</summary>
internal static class RandomText
{
    private static readonly string[] s_pieces =
    [
        "a", "b", "c", "x", "y", "z", " ", " ", "\n", "hello ", "world", "Stoa",
        "\U0001F605", "\U0001F916", "\U0001F47B", "\U0001F91F", "\U0001F483", "\U0001D400",
        "\U0001F44D\U0001F3FD", "\U0001F469\u200D\U0001F469\u200D\U0001F467", "\U0001F1EB\U0001F1F7", "\U0001F1EF\U0001F1F5",
        "e\u0301", "a\u0308", "n\u0303", "\u0301", "o\u0302\u0323",
        "\u6F22", "\u5B57", "\u65E5\u672C\u8A9E", "\uD55C\uAD6D\uC5B4", "\uFB00",
    ];

    public static string Text(Random random, int maxPieces)
    {
        var text = new StringBuilder();
        int count = 1 + random.Next(maxPieces);
        for (int i = 0; i < count; i++)
        {
            text.Append(s_pieces[random.Next(s_pieces.Length)]);
        }

        return text.ToString();
    }

    public static string Document(Random random) => random.Next(8) == 0 ? string.Empty : Text(random, 12);

    /// <summary>A random op that fits <paramref name="document"/>; deletes carry their text when <paramref name="withText"/> says so (or at random).</summary>
    public static TextOp Op(Random random, string document, bool? withText = null)
    {
        string[] chars = Split(document);
        var components = new List<TextOpComponent>();
        int position = 0;
        int steps = 1 + random.Next(4);
        for (int i = 0; i < steps; i++)
        {
            int skip = random.Next(Math.Min(chars.Length - position, 8) + 1);
            if (skip > 0)
            {
                components.Add(TextOpComponent.Skip(skip));
            }

            position += skip;
            int remaining = chars.Length - position;
            if (remaining > 0 && random.Next(2) == 0)
            {
                int length = 1 + random.Next(Math.Min(remaining, 6));
                bool text = withText ?? random.Next(2) == 0;
                components.Add(text
                    ? TextOpComponent.Delete(string.Concat(chars.AsSpan(position, length)))
                    : TextOpComponent.Delete(length));
                position += length;
            }

            if (random.Next(3) != 0)
            {
                components.Add(TextOpComponent.Insert(Text(random, 3)));
            }
        }

        if (chars.Length > position && random.Next(6) == 0)
        {
            components.Add(TextOpComponent.Skip(chars.Length - position));
            components.Add(TextOpComponent.Insert(Text(random, 2)));
        }

        return TextOp.Create(components);
    }

    /// <summary>The code points of <paramref name="text"/>, one string each.</summary>
    public static string[] Split(string text)
    {
        var result = new List<string>(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
        {
            result.Add(rune.ToString());
        }

        return [.. result];
    }
}
