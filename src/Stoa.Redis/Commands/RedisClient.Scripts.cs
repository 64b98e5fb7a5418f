using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis;

public sealed partial class RedisClient
{
    /// <summary>
    /// EVALSHA; when the server answers NOSCRIPT (restart, SCRIPT FLUSH, failover) the script is loaded with SCRIPT
    /// LOAD and EVALSHA retried once. NOSCRIPT means the script did not run, so the retry cannot run it twice.
    /// Returns the raw reply; a script error throws <see cref="RedisServerException"/>.
    /// </summary>
    public async ValueTask<RespValue> ScriptEvaluateAsync(RedisScript script, IReadOnlyList<string>? keys = null, IReadOnlyList<object>? args = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        var reply = await _connection.SendAsync(BuildEvalSha(script, keys, args), cancellationToken);
        if (reply.IsError && reply.Span.StartsWith("NOSCRIPT"u8))
        {
            await ScriptLoadAsync(script, cancellationToken);
            reply = await _connection.SendAsync(BuildEvalSha(script, keys, args), cancellationToken);
        }

        ThrowIfError(reply);
        return reply;
    }

    /// <summary>SCRIPT LOAD; returns the SHA1 the server computed.</summary>
    public async ValueTask<string> ScriptLoadAsync(RedisScript script, CancellationToken cancellationToken = default)
    {
        var operation = new RedisOperation();
        operation.Command(3).Arg("SCRIPT"u8).Arg("LOAD"u8).Arg(script.Text);
        return (await SendCheckedAsync(operation, cancellationToken)).AsString()!;
    }

    private static RedisOperation BuildEvalSha(RedisScript script, IReadOnlyList<string>? keys, IReadOnlyList<object>? args)
    {
        int keyCount = keys?.Count ?? 0;
        int argCount = args?.Count ?? 0;
        var operation = new RedisOperation();
        operation.Command(3 + keyCount + argCount).Arg("EVALSHA"u8).Arg(script.Sha1).Arg(keyCount);
        for (int i = 0; i < keyCount; i++)
        {
            operation.Arg(keys![i]);
        }

        for (int i = 0; i < argCount; i++)
        {
            operation.Arg(args![i]);
        }

        return operation;
    }
}
