namespace Stoa.Foundation.Realtime;

/// <summary>
/// One local subscriber of a topic. Called on the hub's delivery paths: both methods must return at once (enqueue,
/// never wait), and may be called from more than one thread.
/// </summary>
public interface IRealtimeListener
{
    /// <summary>A message of the topic, in the order its publisher published it (at most once).</summary>
    void OnMessage(RealtimeMessage message);

    /// <summary>Messages of the topic may have been lost (the engine reconnected, or a queue under it overflowed).</summary>
    void OnGap();
}
