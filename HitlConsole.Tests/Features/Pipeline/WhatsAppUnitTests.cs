using System.Text;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Live;

namespace HitlConsole.Tests.Features.Pipeline;

public sealed class WhatsAppUnitTests
{
    [Fact]
    public void A_signature_is_valid_only_for_the_same_body_and_secret()
    {
        var body = Encoding.UTF8.GetBytes("{\"a\":1}");
        var secret = Encoding.UTF8.GetBytes("s3cret");
        var header = WhatsAppSignature.Sign(body, "s3cret");
        Assert.True(WhatsAppSignature.IsValid(header, body, secret));
        Assert.True(WhatsAppSignature.IsValid(header.ToUpperInvariant().Replace("SHA256=", "sha256="), body, secret));
        Assert.False(WhatsAppSignature.IsValid(header, Encoding.UTF8.GetBytes("{\"a\":2}"), secret));
        Assert.False(WhatsAppSignature.IsValid(header, body, Encoding.UTF8.GetBytes("other")));
        Assert.False(WhatsAppSignature.IsValid(header[..^2], body, secret));
        Assert.False(WhatsAppSignature.IsValid("sha256=" + new string('z', 64), body, secret));
    }

    [Theory]
    [InlineData(DeliveryState.Sent, DeliveryState.Delivered, true)]
    [InlineData(DeliveryState.Delivered, DeliveryState.Read, true)]
    [InlineData(DeliveryState.Read, DeliveryState.Delivered, false)]
    [InlineData(DeliveryState.Read, DeliveryState.Sent, false)]
    [InlineData(DeliveryState.Sent, DeliveryState.Failed, true)]
    [InlineData(DeliveryState.Failed, DeliveryState.Read, false)]
    [InlineData(DeliveryState.Read, DeliveryState.Read, false)]
    public void Delivery_states_only_move_forward(DeliveryState from, DeliveryState to, bool allowed) =>
        Assert.Equal(allowed, DeliveryStates.CanMove(from, to));

    [Fact]
    public void Odd_parts_are_skipped_not_fatal()
    {
        const string json = """
        {"entry":[{"changes":[
          {"value":{"metadata":{"phone_number_id":"1"},"messages":[{"id":"w1","from":"9","timestamp":"x","type":"text","text":{"body":"bad ts"}}]}},
          {"value":"not an object"},
          {"value":{"messages":[{"id":"w2","from":"9","timestamp":"1","type":"text"}]}},
          {"value":{"metadata":{"phone_number_id":"1"},"messages":[{"id":"w3","from":"9","timestamp":1700000000,"type":"text","text":{"body":"ok"}}],
                    "statuses":[{"id":"s1","status":"weird"},{"id":"s2","status":"read"}]}}
        ]}]}
        """;
        var parsed = WhatsAppPayload.Parse(Encoding.UTF8.GetBytes(json), DateTime.UtcNow);
        var message = Assert.Single(parsed.Messages);
        Assert.Equal(("w3", "ok"), (message.ExternalId, message.Text));
        Assert.Equal("s2", Assert.Single(parsed.Statuses).ExternalId);
        Assert.Equal(4, parsed.Skipped);
    }

    [Fact]
    public async Task A_slow_subscriber_never_blocks_publishing_or_other_subscribers()
    {
        var feed = new LiveFeed(Microsoft.Extensions.Logging.Abstractions.NullLogger<LiveFeed>.Instance);
        var tenant = Guid.NewGuid();
        var release = new TaskCompletionSource();
        var fastSeen = 0;
        using var slow = feed.Subscribe(tenant, _ => release.Task);
        using var fast = feed.Subscribe(tenant, _ => { Interlocked.Increment(ref fastSeen); return Task.CompletedTask; });
        using var other = feed.Subscribe(Guid.NewGuid(), _ => throw new InvalidOperationException("wrong tenant"));

        // The slow subscriber is released only after publishing ends, so a publisher that waited on any subscriber would never
        // finish; the bound is a deadlock guard, not a speed goal (a busy CI machine once took 1.4 s for these 10,000).
        var publishing = Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++) feed.Publish(new LiveEvent(tenant, LiveEventKind.DraftChanged, Guid.NewGuid()));
        });
        await publishing.WaitAsync(TimeSpan.FromSeconds(30));
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Volatile.Read(ref fastSeen) < 256 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.True(Volatile.Read(ref fastSeen) >= 256);
        release.SetResult();
    }
}
