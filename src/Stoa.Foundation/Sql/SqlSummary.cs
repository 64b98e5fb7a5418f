using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Stoa.Foundation.Sql;

/// <summary>
/// What a statement does, for its span and metric: <c>db.operation.name</c> (the leading keyword: SELECT, INSERT…) and
/// <c>db.collection.name</c> (the table written or first read, when the statement names one plainly), and the span
/// name the semantic conventions ask for, <c>{operation} {collection}</c>. Statements are the stores' constants, so
/// each text is parsed once; the memo is bounded because expanded id lists give texts of many lengths.
/// </summary>
internal sealed partial record SqlSummary(string Operation, string? Collection)
{
    private const int MaxMemoised = 2_000;
    private static readonly ConcurrentDictionary<string, SqlSummary> s_memo = new(StringComparer.Ordinal);
    private static readonly SqlSummary s_other = new("OTHER", null);

    public string SpanName { get; } = Collection is null ? Operation : $"{Operation} {Collection}";

    public static SqlSummary Of(string? sql)
    {
        if (string.IsNullOrEmpty(sql))
        {
            return s_other;
        }

        if (s_memo.TryGetValue(sql, out var summary))
        {
            return summary;
        }

        summary = Parse(sql);
        if (s_memo.Count < MaxMemoised)
        {
            s_memo.TryAdd(sql, summary);
        }

        return summary;
    }

    private static SqlSummary Parse(string sql)
    {
        var keyword = Keyword().Match(sql);
        if (!keyword.Success)
        {
            return s_other;
        }

        var operation = keyword.Groups[1].Value.ToUpperInvariant();
        var table = operation switch
        {
            "INSERT" => Into().Match(sql),
            "UPDATE" => Update().Match(sql),
            "DELETE" or "SELECT" or "WITH" => From().Match(sql),
            _ => Match.Empty,
        };
        return new SqlSummary(operation, table.Success ? table.Groups[1].Value.ToLowerInvariant() : null);
    }

    [GeneratedRegex(@"^\s*(?:--[^\n]*\n\s*)*([A-Za-z]+)")]
    private static partial Regex Keyword();

    [GeneratedRegex(@"\bINTO\s+([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex Into();

    [GeneratedRegex(@"^\s*UPDATE\s+([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex Update();

    [GeneratedRegex(@"\bFROM\s+([A-Za-z_][A-Za-z0-9_]*)", RegexOptions.IgnoreCase)]
    private static partial Regex From();
}
