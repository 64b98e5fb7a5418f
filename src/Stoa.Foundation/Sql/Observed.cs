using System.Data.Common;

namespace Stoa.Foundation.Sql;

/// <summary>Runs a provider call inside a <see cref="StatementScope"/> (or bare when there is none) and ends the scope with its outcome.</summary>
internal static class Observed
{
    /// <summary>The synchronous calls (rare: the stores use Dapper's async API) share the async path, which completes at once.</summary>
    public static T Run<T>(StatementScope? scope, Func<T> call, bool completeOnSuccess = true) =>
        scope is null ? call() : RunObservedAsync(scope, () => Task.FromResult(call()), completeOnSuccess).GetAwaiter().GetResult();

    public static Task<T> RunAsync<T>(StatementScope? scope, Func<Task<T>> call, bool completeOnSuccess = true) =>
        scope is null ? call() : RunObservedAsync(scope, call, completeOnSuccess);

    /// <summary>A reader that ends the statement when closed, when there is a statement to end.</summary>
    public static DbDataReader Reader(StatementScope? scope, DbDataReader reader) =>
        scope is null ? reader : new ObservedDataReader(reader, scope);

    private static async Task<T> RunObservedAsync<T>(StatementScope scope, Func<Task<T>> call, bool completeOnSuccess)
    {
        try
        {
            var result = await call();
            if (completeOnSuccess)
            {
                scope.Complete(null);
            }

            return result;
        }
        catch (Exception ex)
        {
            scope.Complete(ex);
            throw;
        }
    }
}
