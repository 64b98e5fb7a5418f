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
    /// <remarks>In cluster mode the script runs on the primary owning its keys, which must share a slot (otherwise
    /// <see cref="RedisCrossSlotException"/> before anything is sent); a script without keys runs on any primary, and
    /// is loaded on that same one when it lacks it.</remarks>
    public async ValueTask<RespValue> ScriptEvaluateAsync(RedisScript script, IReadOnlyList<string>? keys = null, IReadOnlyList<object>? args = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        var evalSha = BuildEvalSha(script, keys, args);
        int slot = evalSha.Slot >= 0 ? evalSha.Slot : Random.Shared.Next(RedisHashSlot.Count);
        var reply = await SendAsync(evalSha.PinToSlot(slot), cancellationToken);
        if (reply.IsError && reply.Span.StartsWith("NOSCRIPT"u8))
        {
            // Loaded where the slot lives, which is where EVALSHA just ran.
            ThrowIfError(await SendAsync(BuildScriptLoad(script).PinToSlot(slot), cancellationToken));
            reply = await SendAsync(BuildEvalSha(script, keys, args).PinToSlot(slot), cancellationToken);
        }

        ThrowIfError(reply);
        return reply;
    }

    /// <summary>SCRIPT LOAD; returns the SHA1 the server computed. In cluster mode it loads on one primary:
    /// <see cref="ScriptEvaluateAsync"/> loads a script wherever it finds it missing.</summary>
    public async ValueTask<string> ScriptLoadAsync(RedisScript script, CancellationToken cancellationToken = default)
        => (await SendCheckedAsync(BuildScriptLoad(script), cancellationToken)).AsString()!;

    private static RedisOperation BuildScriptLoad(RedisScript script)
    {
        var operation = new RedisOperation();
        operation.Command(3).Arg("SCRIPT"u8).Arg("LOAD"u8).Arg(script.Text);
        return operation;
    }

    private static RedisOperation BuildEvalSha(RedisScript script, IReadOnlyList<string>? keys, IReadOnlyList<object>? args)
    {
        int keyCount = keys?.Count ?? 0;
        int argCount = args?.Count ?? 0;
        var operation = new RedisOperation();
        operation.Command(3 + keyCount + argCount).Arg("EVALSHA"u8).Arg(script.Sha1).Arg(keyCount);
        for (int i = 0; i < keyCount; i++)
        {
            operation.Key(keys![i]);
        }

        for (int i = 0; i < argCount; i++)
        {
            operation.Arg(args![i]);
        }

        return operation;
    }
}
