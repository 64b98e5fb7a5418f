using System.Data.Common;
using Dapper;

namespace Stoa.Comments.Storage;

/// <summary>Every statement of the comments store goes through here, so that each one is counted.</summary>
internal sealed class StoreCommands(CommentCommandCounter counter)
{
    public async Task<List<T>> QueryAsync<T>(DbConnection connection, string sql, object? parameters, DbTransaction? transaction,
        CancellationToken cancellationToken)
    {
        counter.Increment();
        return [.. await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken))];
    }

    public Task<T?> QuerySingleOrDefaultAsync<T>(DbConnection connection, string sql, object? parameters, DbTransaction? transaction,
        CancellationToken cancellationToken)
    {
        counter.Increment();
        return connection.QuerySingleOrDefaultAsync<T>(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
    }

    public Task<int> ExecuteAsync(DbConnection connection, string sql, object? parameters, DbTransaction? transaction,
        CancellationToken cancellationToken)
    {
        counter.Increment();
        return connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
    }
}
