using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis;

/// <summary>
/// MULTI … EXEC built client-side: commands added here are only recorded; <see cref="ExecuteAsync"/> writes MULTI, the
/// commands and EXEC as one contiguous block on the client's shared connection, so no other caller's command can be
/// interleaved and Redis runs them atomically. Each task returned by an Add method completes when EXEC's reply
/// arrives (faulted with <see cref="RedisServerException"/> if that command failed inside the transaction). WATCH is
/// not supported: on a multiplexed connection another caller's commands could run between WATCH and MULTI.
/// In cluster mode every key must hash to one slot (a common <c>{hash tag}</c>): the block goes to that slot's primary,
/// and keys that span slots fail <see cref="ExecuteAsync"/> with <see cref="RedisCrossSlotException"/> before
/// anything is sent. Not thread-safe: build a transaction from one caller.
/// </summary>
public sealed class RedisTransaction
{
    private readonly RedisClient _client;
    private readonly List<Queued> _queued = [];
    private bool _executed;

    internal RedisTransaction(RedisClient client)
    {
        _client = client;
    }

    /// <summary>Number of commands recorded so far.</summary>
    public int Count => _queued.Count;

    /// <summary>Adds any command; the task yields its raw reply (an error reply is thrown).</summary>
    public Task<RespValue> AddAsync(string command, params ReadOnlySpan<object> args)
    {
        object[] copy = args.ToArray();
        return Add(operation => RedisCommandKeys.Append(operation, command, copy), static reply => reply);
    }

    public Task<bool> SetAsync(string key, string value, TimeSpan? expiry = null, SetCondition condition = SetCondition.Always)
        => Add(operation => RedisClient.AppendSet(operation, key, value, default, expiry, condition), static reply => !reply.IsNull);

    public Task<string?> GetAsync(string key)
        => Add(operation => operation.Command(2).Arg("GET"u8).Key(key), static reply => reply.AsString());

    public Task<long> IncrByAsync(string key, long increment = 1)
        => Add(operation => operation.Command(3).Arg("INCRBY"u8).Key(key).Arg(increment), static reply => reply.AsInt64());

    public Task<long> DelAsync(string key)
        => Add(operation => operation.Command(2).Arg("DEL"u8).Key(key), static reply => reply.AsInt64());

    public Task<bool> ExpireAsync(string key, TimeSpan expiry)
        => Add(operation => operation.Command(3).Arg("PEXPIRE"u8).Key(key).Arg((long)Math.Ceiling(expiry.TotalMilliseconds)), static reply => reply.AsInt64() == 1);

    public Task<bool> HSetAsync(string key, string field, string value)
        => Add(operation => operation.Command(4).Arg("HSET"u8).Key(key).Arg(field).Arg(value), static reply => reply.AsInt64() == 1);

    public Task<long> HIncrByAsync(string key, string field, long increment = 1)
        => Add(operation => operation.Command(4).Arg("HINCRBY"u8).Key(key).Arg(field).Arg(increment), static reply => reply.AsInt64());

    public Task<bool> ZAddAsync(string key, string member, double score)
        => Add(operation => operation.Command(4).Arg("ZADD"u8).Key(key).Arg(score).Arg(member), static reply => reply.AsInt64() == 1);

    public Task<long> ZRemAsync(string key, string member)
        => Add(operation => operation.Command(3).Arg("ZREM"u8).Key(key).Arg(member), static reply => reply.AsInt64());

    public Task<long> PublishAsync(string channel, string message)
        => Add(operation => operation.Command(3).Arg("PUBLISH"u8).Arg(channel).Arg(message), static reply => reply.AsInt64());

    private Task<T> Add<T>(Action<RedisOperation> write, Func<RespValue, T> convert)
    {
        if (_executed)
        {
            throw new InvalidOperationException("This transaction was already executed.");
        }

        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _queued.Add(new Queued(
            write,
            reply =>
            {
                try
                {
                    completion.TrySetResult(convert(reply));
                }
                catch (Exception ex)
                {
                    completion.TrySetException(ex);
                }
            },
            ex => completion.TrySetException(ex)));
        return completion.Task;
    }

    /// <summary>
    /// Sends MULTI, the recorded commands and EXEC in one block and waits for EXEC's reply. Returns true when the
    /// transaction ran. Throws <see cref="RedisServerException"/> when Redis refused it (EXECABORT, e.g. a syntax
    /// error in a queued command: then nothing ran). If the connection breaks or the call times out the outcome is
    /// unknown (<see cref="RedisConnectionException"/> / <see cref="RedisTimeoutException"/>).
    /// </summary>
    public async Task<bool> ExecuteAsync(CancellationToken cancellationToken = default)
    {
        if (_executed)
        {
            throw new InvalidOperationException("This transaction was already executed.");
        }

        _executed = true;
        var operation = new RedisOperation(_queued.Count + 2, 256);
        operation.Command(1).Arg("MULTI"u8);
        foreach (var queued in _queued)
        {
            queued.Write(operation);
        }

        operation.Command(1).Arg("EXEC"u8);
        RespValue reply;
        try
        {
            reply = await _client.SendAsync(operation, cancellationToken);
        }
        catch (Exception ex)
        {
            FailAll(ex);
            throw;
        }

        var replies = reply.Items;
        var exec = replies[^1];
        if (exec.IsError)
        {
            // The first queuing error explains an EXECABORT better than EXEC's own message.
            string message = exec.AsString()!;
            for (int i = 1; i < replies.Length - 1; i++)
            {
                if (replies[i].IsError)
                {
                    message = $"{message} ({replies[i].AsString()})";
                    break;
                }
            }

            var error = new RedisServerException(message);
            FailAll(error);
            throw error;
        }

        if (exec.IsNull)
        {
            FailAll(new RedisException("The transaction was aborted."));
            return false;
        }

        var results = exec.Items;
        for (int i = 0; i < _queued.Count; i++)
        {
            if (results[i].IsError)
            {
                _queued[i].Fail(new RedisServerException(results[i].AsString()!));
            }
            else
            {
                _queued[i].Complete(results[i]);
            }
        }

        return true;
    }

    private void FailAll(Exception error)
    {
        foreach (var queued in _queued)
        {
            queued.Fail(error);
        }
    }

    private sealed record Queued(Action<RedisOperation> Write, Action<RespValue> Complete, Action<Exception> Fail);
}
