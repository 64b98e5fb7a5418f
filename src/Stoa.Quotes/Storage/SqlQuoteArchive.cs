using Dapper;
using Stoa.Foundation.Sql;
using Stoa.Quotes.Core;

namespace Stoa.Quotes.Storage;

/// <summary>The quotes table; the same SQL on SQLite and PostgreSQL/CockroachDB.</summary>
internal sealed class SqlQuoteArchive(StoaDatabase database) : IQuoteArchive
{
    public async Task<bool> SaveAsync(Guid scope, Quote quote, CancellationToken cancellationToken) =>
        await database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition("""
            INSERT INTO quotes (app_id, symbol, seq, payload) VALUES (@scope, @symbol, @seq, @payload)
            ON CONFLICT (app_id, symbol) DO UPDATE SET seq = excluded.seq, payload = excluded.payload
            WHERE quotes.seq < excluded.seq
            """, new { scope, symbol = quote.Symbol, seq = quote.Seq, payload = QuoteCodec.Encode(quote) }, transaction,
            cancellationToken: cancellationToken)), cancellationToken) > 0;

    public async Task<(Guid Scope, Quote Quote)?> FindAsync(Guid appId, string symbol, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(Guid Scope, byte[] Payload)>(new CommandDefinition(
            "SELECT app_id, payload FROM quotes WHERE symbol = @symbol AND app_id IN (@appId, @market)",
            new { symbol, appId, market = QuoteScope.Market }, cancellationToken: cancellationToken));
        var found = rows.Select(r => (r.Scope, Quote: QuoteCodec.Decode(r.Payload))).Where(r => r.Quote is not null).ToList();
        var pick = found.FirstOrDefault(r => r.Scope == appId);
        pick = pick.Quote is null ? found.FirstOrDefault() : pick;
        return pick.Quote is null ? null : (pick.Scope, pick.Quote);
    }

    public Task DeleteAsync(Guid scope, string symbol, CancellationToken cancellationToken) =>
        database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM quotes WHERE app_id = @scope AND symbol = @symbol", new { scope, symbol }, transaction,
            cancellationToken: cancellationToken)), cancellationToken);
}
