using System.Globalization;
using System.Text;

namespace Stoa.Server.Tests.Deploy;

/// <summary>
/// Reads the YAML subset that deploy/k8s is written in: <c>---</c> documents, block mappings and sequences,
/// plain and quoted scalars, one-line flow sequences (<c>["migrate"]</c>) and comments. Anything else (anchors, tags,
/// block scalars, multi-line flow, tabs, duplicate keys) is an error naming the line, so a manifest that leaves the
/// subset fails the tests instead of being misread. Written here because the test machines have no YAML library
/// for .NET and CI must not depend on Python packages.
/// </summary>
/// <remarks>
/// Values come back as <see cref="Dictionary{TKey, TValue}"/> (string keys, in order), <see cref="List{T}"/>,
/// <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or null, resolved as YAML 1.2's
/// core schema would; quoted scalars are always strings. Plain yes/no/on/off are refused: YAML 1.1 tools (PyYAML,
/// older kubectl) would read them as booleans.
/// </remarks>
public static class MiniYaml
{
    public static IReadOnlyList<object?> LoadAll(string text, string source)
    {
        var documents = new List<object?>();
        var current = new List<Line>();
        var number = 0;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            number++;
            if (raw.TrimEnd() == "---")
            {
                AddDocument(documents, current, source);
                current = [];
                continue;
            }

            if (raw.Contains('\t', StringComparison.Ordinal))
            {
                throw Error(source, number, "tabs are not allowed");
            }

            var content = StripComment(raw, source, number).TrimEnd();
            if (content.Trim().Length == 0)
            {
                continue;
            }

            var indent = content.Length - content.TrimStart(' ').Length;
            current.Add(new Line(number, indent, content[indent..]));
        }

        AddDocument(documents, current, source);
        return documents;
    }

    private static void AddDocument(List<object?> documents, List<Line> lines, string source)
    {
        if (lines.Count == 0)
        {
            return;
        }

        var parser = new Parser(lines, source);
        documents.Add(parser.ParseDocument());
    }

    private static string StripComment(string line, string source, int number)
    {
        var quote = '\0';
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'' && (i == 0 || line[i - 1] is ' ' or '[' or ',' or ':' or '-'))
            {
                quote = c;
            }
            else if (c == '#' && (i == 0 || line[i - 1] == ' '))
            {
                return line[..i];
            }
        }

        return quote == '\0' ? line : throw Error(source, number, "unterminated quoted scalar");
    }

    internal static FormatException Error(string source, int line, string message) =>
        new($"{source}:{line}: {message} (MiniYaml reads a subset of YAML; see its summary).");

    private sealed record Line(int Number, int Indent, string Text)
    {
        public bool IsSequenceItem => Text == "-" || Text.StartsWith("- ", StringComparison.Ordinal);
    }

    private sealed class Parser(List<Line> lines, string source)
    {
        private int _next;

        public object? ParseDocument()
        {
            var value = ParseBlock(lines[0].Indent);
            return _next < lines.Count ? throw Error(source, lines[_next].Number, "unexpected indentation") : value;
        }

        private object? ParseBlock(int indent) =>
            lines[_next].IsSequenceItem ? ParseSequence(indent) : ParseMapping(indent);

        private List<object?> ParseSequence(int indent)
        {
            var items = new List<object?>();
            while (_next < lines.Count && lines[_next].Indent == indent && lines[_next].IsSequenceItem)
            {
                var line = lines[_next];
                var rest = line.Text[1..];
                var content = rest.TrimStart(' ');
                if (content.Length == 0)
                {
                    _next++;
                    items.Add(ChildBlock(indent, line));
                    continue;
                }

                var column = indent + 1 + (rest.Length - content.Length);
                if (SplitKey(content, line.Number) is not null || content.StartsWith("- ", StringComparison.Ordinal))
                {
                    // "- key: value": a mapping (or nested sequence) whose first line starts at the item's content.
                    lines[_next] = new Line(line.Number, column, content);
                    items.Add(ParseBlock(column));
                }
                else
                {
                    _next++;
                    items.Add(Scalar(content, line.Number));
                }
            }

            return items;
        }

        private Dictionary<string, object?> ParseMapping(int indent)
        {
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            while (_next < lines.Count && lines[_next].Indent == indent && !lines[_next].IsSequenceItem)
            {
                var line = lines[_next];
                var (key, value) = SplitKey(line.Text, line.Number) ?? throw Error(source, line.Number, "expected 'key: value'");
                if (!map.TryAdd(key, null))
                {
                    throw Error(source, line.Number, $"duplicate key '{key}'");
                }

                _next++;
                map[key] = value.Length == 0 ? ChildBlock(indent, line) : Scalar(value, line.Number);
            }

            if (_next < lines.Count && lines[_next].Indent > indent)
            {
                throw Error(source, lines[_next].Number, "unexpected indentation");
            }

            return map;
        }

        /// <summary>The block under "key:" or "-": deeper lines, or a sequence at the key's own indent (k8s style).</summary>
        private object? ChildBlock(int indent, Line owner)
        {
            if (_next >= lines.Count)
            {
                return null;
            }

            var child = lines[_next];
            if (child.Indent > indent || (child.Indent == indent && child.IsSequenceItem && !owner.IsSequenceItem))
            {
                return ParseBlock(child.Indent);
            }

            return null;
        }

        /// <summary>Splits "key: value" (or "key:") outside quotes; null when the text is not a mapping entry.</summary>
        private (string Key, string Value)? SplitKey(string text, int number)
        {
            if (text.StartsWith('"') || text.StartsWith('\''))
            {
                var end = text.IndexOf(text[0], 1);
                if (end > 0 && end + 1 < text.Length && text[end + 1] == ':' && (end + 2 == text.Length || text[end + 2] == ' '))
                {
                    return ((string)Scalar(text[..(end + 1)], number)!, text[(end + 2)..].Trim());
                }

                return null;
            }

            if (text.StartsWith('[') || text.StartsWith('{'))
            {
                return null;
            }

            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == ':' && (i + 1 == text.Length || text[i + 1] == ' '))
                {
                    var key = text[..i];
                    return key.Length == 0 || key.Contains(' ', StringComparison.Ordinal) ? null : (key, text[(i + 1)..].Trim());
                }
            }

            return null;
        }

        private object? Scalar(string text, int number)
        {
            switch (text[0])
            {
                case '"':
                    return DoubleQuoted(text, number);
                case '\'':
                    return text.Length >= 2 && text[^1] == '\''
                        ? text[1..^1].Replace("''", "'", StringComparison.Ordinal)
                        : throw Error(source, number, "bad single-quoted scalar");
                case '[':
                    return FlowSequence(text, number);
                case '{':
                    return text == "{}" ? new Dictionary<string, object?>(StringComparer.Ordinal) : throw Error(source, number, "flow mappings are not supported");
                case '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`':
                    throw Error(source, number, $"'{text[0]}' (anchors, aliases, tags, block scalars) is not supported");
            }

            return Plain(text, number);
        }

        private object? Plain(string text, int number)
        {
            if (text.Contains(": ", StringComparison.Ordinal) || text.EndsWith(':'))
            {
                throw Error(source, number, "a plain scalar may not contain ': '; quote it");
            }

            switch (text)
            {
                case "null" or "Null" or "NULL" or "~":
                    return null;
                case "true" or "True" or "TRUE":
                    return true;
                case "false" or "False" or "FALSE":
                    return false;
                case "yes" or "no" or "on" or "off" or "Yes" or "No" or "On" or "Off" or "y" or "n":
                    throw Error(source, number, $"'{text}' is a boolean to YAML 1.1 tools and a string to others; quote it or write true/false");
            }

            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return integer;
            }

            if (text.Any(char.IsAsciiDigit) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
            {
                return real;
            }

            return text;
        }

        private string DoubleQuoted(string text, int number)
        {
            var result = new StringBuilder();
            for (var i = 1; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '"')
                {
                    return i == text.Length - 1 ? result.ToString() : throw Error(source, number, "text after a quoted scalar");
                }

                if (c == '\\' && i + 1 < text.Length)
                {
                    i++;
                    result.Append(text[i] switch
                    {
                        'n' => '\n',
                        'r' => '\r',
                        't' => '\t',
                        '"' => '"',
                        '\\' => '\\',
                        '/' => '/',
                        _ => throw Error(source, number, $"unsupported escape '\\{text[i]}'"),
                    });
                    continue;
                }

                result.Append(c);
            }

            throw Error(source, number, "unterminated double-quoted scalar");
        }

        private List<object?> FlowSequence(string text, int number)
        {
            if (!text.EndsWith(']'))
            {
                throw Error(source, number, "a flow sequence must close on its line");
            }

            var items = new List<object?>();
            var inner = text[1..^1].Trim();
            var start = 0;
            var quote = '\0';
            for (var i = 0; i <= inner.Length; i++)
            {
                if (i < inner.Length && quote != '\0')
                {
                    quote = inner[i] == quote ? '\0' : quote;
                    continue;
                }

                if (i < inner.Length && inner[i] is '"' or '\'')
                {
                    quote = inner[i];
                    continue;
                }

                if (i == inner.Length || inner[i] == ',')
                {
                    var item = inner[start..i].Trim();
                    if (item.Length > 0)
                    {
                        items.Add(item[0] is '[' or '{' ? throw Error(source, number, "nested flow collections are not supported") : Scalar(item, number));
                    }

                    start = i + 1;
                }
            }

            return items;
        }
    }
}
