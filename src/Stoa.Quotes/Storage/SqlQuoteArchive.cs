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

    /// <summary>Both scopes' rows in one statement; which one the app sees is <see cref="QuoteResolver"/>'s to say.</summary>
    public async Task<ArchivedQuotes> FindAsync(Guid appId, string symbol, CancellationToken cancellationToken)
    {
        var rows = await database.ReadAsync(async connection => (await connection.QueryAsync<(Guid Scope, byte[] Payload)>(new CommandDefinition(
            "SELECT app_id, payload FROM quotes WHERE symbol = @symbol AND app_id IN (@appId, @market)",
            new { symbol, appId, market = QuoteScope.Market }, cancellationToken: cancellationToken))).ToList(), cancellationToken);
        Quote? Of(Guid scope) => rows.Where(r => r.Scope == scope).Select(r => QuoteCodec.Decode(r.Payload)).FirstOrDefault();
        return new ArchivedQuotes(Of(appId), QuoteScope.IsMarket(appId) ? null : Of(QuoteScope.Market));
    }

    public Task DeleteAsync(Guid scope, string symbol, CancellationToken cancellationToken) =>
        database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM quotes WHERE app_id = @scope AND symbol = @symbol", new { scope, symbol }, transaction,
            cancellationToken: cancellationToken)), cancellationToken);
}
