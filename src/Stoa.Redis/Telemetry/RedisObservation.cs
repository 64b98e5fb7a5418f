using System.Diagnostics;
using Stoa.Redis.Connection;
using Stoa.Redis.Protocol;

namespace Stoa.Redis.Telemetry;

/// <summary>
/// One command being observed: its name, its start and its span. A struct kept in the awaiting method's own frame, so
/// that measuring a command allocates nothing beside what sending it does.
/// </summary>
internal struct RedisObservation
{
    private readonly string? _command;
    private readonly long _started;
    private readonly Activity? _span;
    private string? _errorType;

    private RedisObservation(string command, Activity? span)
    {
        _command = command;
        _started = Stopwatch.GetTimestamp();
        _span = span;
    }

    /// <summary>Call before the operation is sent (its payload goes back to the pool once written); default when nothing listens.</summary>
    public static RedisObservation Start(RedisOperation operation, RedisOptions options)
    {
        if (!RedisTelemetry.IsObserved)
        {
            return default;
        }

        var command = RedisCommandNames.Of(operation);
        var span = RedisTelemetry.StartCommand(command, operation, options);
        operation.Span = span;
        return new RedisObservation(command, span);
    }

    public void Replied(in RespValue reply)
    {
        if (_command is not null && reply.IsError)
        {
            _errorType = RedisCommandNames.ErrorType(reply);
        }
    }

    public void Failed(Exception error)
    {
        if (_command is not null)
        {
            _errorType = error is OperationCanceledException ? "canceled" : error.GetType().FullName;
        }
    }

    public readonly void End()
    {
        if (_command is not null)
        {
            RedisTelemetry.Complete(_command, _started, _errorType, _span);
        }
    }
}
