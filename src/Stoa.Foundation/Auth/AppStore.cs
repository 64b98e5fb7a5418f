using System.Security.Cryptography;
using Dapper;
using Stoa.Foundation.Sql;

namespace Stoa.Foundation.Auth;

/// <summary>The apps table. The SQL is the same for both dialects (type differences live in the migrations).</summary>
public sealed class AppStore(StoaDatabase database, TimeProvider time)
{
    private const string Columns = "id AS Id, name AS Name, api_key AS ApiKey, secret AS Secret, previous_secret AS PreviousSecret, previous_secret_expires_at AS PreviousSecretExpiresAt, created_at AS CreatedAt, allowed_origins AS AllowedOrigins";

    public async Task<App> CreateAsync(string name, CancellationToken cancellationToken, AppOrigins? origins = null)
    {
        var app = new App(Guid.NewGuid(), name, NewCredential("pk_", 18), NewCredential("sk_", 32), null, null, time.GetUtcNow(),
            (origins ?? AppOrigins.None).Stored);
        await database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO apps (id, name, api_key, secret, created_at, allowed_origins) VALUES (@Id, @Name, @ApiKey, @Secret, @CreatedAt, @AllowedOrigins)",
            app, transaction, cancellationToken: cancellationToken)), cancellationToken);
        return app;
    }

    /// <summary>Replaces the app's allowed origins; null when there is no such app.</summary>
    public async Task<App?> SetOriginsAsync(Guid id, AppOrigins origins, CancellationToken cancellationToken)
    {
        var changed = await database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE apps SET allowed_origins = @origins WHERE id = @id",
            new { id, origins = origins.Stored }, transaction, cancellationToken: cancellationToken)), cancellationToken);
        return changed == 0 ? null : await FindByIdAsync(id, cancellationToken);
    }

    public Task<App?> FindByIdAsync(Guid id, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => connection.QuerySingleOrDefaultAsync<App>(new CommandDefinition(
            $"SELECT {Columns} FROM apps WHERE id = @id", new { id }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<App?> FindByApiKeyAsync(string apiKey, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => connection.QuerySingleOrDefaultAsync<App>(new CommandDefinition(
            $"SELECT {Columns} FROM apps WHERE api_key = @apiKey", new { apiKey }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<App?> FindByNameAsync(string name, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => connection.QueryFirstOrDefaultAsync<App>(new CommandDefinition(
            $"SELECT {Columns} FROM apps WHERE name = @name ORDER BY created_at", new { name }, cancellationToken: cancellationToken)), cancellationToken);

    public Task<IReadOnlyList<App>> ListAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<App>>(async connection => [.. await connection.QueryAsync<App>(new CommandDefinition(
            $"SELECT {Columns} FROM apps ORDER BY created_at, name", cancellationToken: cancellationToken))], cancellationToken);

    /// <summary>
    /// Issues a new secret; the old one stays valid for <paramref name="grace"/> so that tokens already signed with
    /// it keep working while the app's backend switches over.
    /// </summary>
    public async Task<App?> RotateSecretAsync(string apiKey, TimeSpan grace, CancellationToken cancellationToken)
    {
        var secret = NewCredential("sk_", 32);
        var expires = time.GetUtcNow().Add(grace);
        var changed = await database.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE apps SET previous_secret = secret, previous_secret_expires_at = @expires, secret = @secret WHERE api_key = @apiKey",
            new { apiKey, secret, expires }, transaction, cancellationToken: cancellationToken)), cancellationToken);
        return changed == 0 ? null : await FindByApiKeyAsync(apiKey, cancellationToken);
    }

    private static string NewCredential(string prefix, int bytes) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
