using System.Data.Common;

namespace Stoa.Foundation.Sql;

/// <summary>Runs a provider call inside a <see cref="StatementScope"/> and ends the scope with its outcome.</summary>
internal static class Observed
{
    /// <summary>The synchronous calls (rare: the stores use Dapper's async API) share the async path, which completes at once.</summary>
    public static T Run<T>(StatementScope scope, Func<T> call, bool completeOnSuccess = true) =>
        RunAsync(scope, () => Task.FromResult(call()), completeOnSuccess).GetAwaiter().GetResult();

    /// <summary>A reader that ends the statement when closed.</summary>
    public static DbDataReader Reader(StatementScope scope, DbDataReader reader) => new ObservedDataReader(reader, scope);

    public static async Task<T> RunAsync<T>(StatementScope scope, Func<Task<T>> call, bool completeOnSuccess = true)
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
