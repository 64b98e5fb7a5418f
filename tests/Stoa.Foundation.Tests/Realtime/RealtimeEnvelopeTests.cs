using Stoa.Foundation.Realtime;

namespace Stoa.Foundation.Tests.Realtime;

/// <summary>The envelope nodes exchange carries the publisher's trace and time, and still reads an earlier version's.</summary>
public sealed class RealtimeEnvelopeTests
{
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    [Fact]
    public void The_trace_line_carries_the_traceparent_and_the_publish_time()
    {
        var sent = new RealtimeMessage("app:docs:x", "7-0", "op", "{\"v\":1}"u8.ToArray(), "node-a", TraceParent, 1_796_577_182_123);
        var received = RealtimeEnvelope.Decode(sent.Topic, RealtimeEnvelope.Encode(sent))!;

        received.TraceParent.ShouldBe(TraceParent);
        received.PublishedAt.ShouldBe(1_796_577_182_123);
        (received.NodeId, received.Id, received.Type).ShouldBe(("node-a", "7-0", "op"));
        received.Data.ToArray().ShouldBe(sent.Data.ToArray());
    }

    [Fact]
    public void A_message_outside_a_trace_has_an_empty_traceparent()
    {
        var sent = new RealtimeMessage("t", null, "quote", "{}"u8.ToArray(), "node-a", null, 5);
        var received = RealtimeEnvelope.Decode("t", RealtimeEnvelope.Encode(sent))!;
        received.TraceParent.ShouldBeNull();
        received.PublishedAt.ShouldBe(5);
    }

    [Theory]
    [InlineData(TraceParent, TraceParent)]
    [InlineData("", null)]
    public void An_earlier_versions_trace_line_is_a_traceparent_alone(string line, string? traceParent)
    {
        var payload = System.Text.Encoding.UTF8.GetBytes($"node-old\n\nop\n{line}\n{{}}");
        var received = RealtimeEnvelope.Decode("t", payload)!;
        received.TraceParent.ShouldBe(traceParent);
        received.PublishedAt.ShouldBe(0, "no time: no fan-out lag is measured for it");
        received.Data.ToArray().ShouldBe("{}"u8.ToArray());
    }
}
