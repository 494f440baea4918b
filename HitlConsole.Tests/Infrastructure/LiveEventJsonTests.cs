using HitlConsole.Features.Ai;
using HitlConsole.Infrastructure.Live;
using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Knowledge.Import;
using HitlConsole.Features.Pipeline;

namespace HitlConsole.Tests.Infrastructure;

/// <summary>Live events cross instances as JSON (PostgreSQL NOTIFY): typed payloads arrive as the same records.</summary>
public sealed class LiveEventJsonTests
{
    private static readonly Guid Tenant = Guid.NewGuid();

    public static TheoryData<LivePayload?> Payloads() => new()
    {
        new ImportProgress(Guid.NewGuid(), ImportStatus.Running, 2_000, 1_500, 300, 150, 50, 0.4),
        new PresenceNote("circuit-1", new Presence(Tenant, "user-1", "Ada Admin", Guid.NewGuid(), "Lola", new DateTime(2026, 11, 30, 9, 0, 0, DateTimeKind.Utc))),
        new PresenceNote("circuit-2", null),
        new GuardrailAlert(GuardrailClass.SelfHarm),
        null,
    };

    [Theory, MemberData(nameof(Payloads))]
    public void An_event_and_its_payload_arrive_on_the_other_instance_as_they_were_sent(LivePayload? payload)
    {
        var sent = new LiveEvent(Tenant, LiveEventKind.ImportProgress, Guid.NewGuid(), Guid.NewGuid(), null, payload, Guid.NewGuid());

        var json = JsonSerializer.Serialize(sent, LiveEventJson.Options);
        var received = JsonSerializer.Deserialize<LiveEvent>(json, LiveEventJson.Options);

        Assert.Equal(sent, received);
        Assert.Equal(payload?.GetType(), received!.Payload?.GetType());
    }

    [Fact]
    public void A_payload_names_its_type_and_carries_no_message_text()
    {
        var json = JsonSerializer.Serialize(new LiveEvent(Tenant, LiveEventKind.Alert, Guid.NewGuid(), Payload: new GuardrailAlert(GuardrailClass.Emergency)),
            LiveEventJson.Options);

        Assert.Contains($"\"{LiveEventJson.PayloadType}\":\"{nameof(GuardrailAlert)}\"", json);
        Assert.True(json.Length < 400, json);
    }
}
