using Bunit;
using HitlConsole.Domain;
using HitlConsole.Features.Inbox;
using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Features.Channels;

/// <summary>The delivery mark of outbound bubbles: its status attribute, the failure explained in the UI language, and every attempt.</summary>
public sealed class WhatsAppDeliveryComponentTests : BunitHost
{
    private static readonly DateTime At = new(2026, 11, 26, 9, 30, 0, DateTimeKind.Utc);

    private static GetConversation.Bubble Out(DeliveryState state, string? code = null, string? title = null, DateTime? next = null,
        params GetConversation.Attempt[] attempts) =>
        new(Guid.NewGuid(), MessageDirection.Outbound, MessageAuthor.Agent, "Hola", "text", null, state, code, title, At, next, attempts);

    [Theory]
    [InlineData("en", "re-engage them with an approved template", "Attempt 2")]
    [InlineData("es", "vuelve a contactarle con una plantilla aprobada", "Intento 2")]
    public void Each_outbound_bubble_carries_its_status_and_a_failure_is_explained_with_its_code(string culture, string explanation, string attempt)
    {
        UseCulture(culture);
        var cut = Render<Timeline>(p => p.Add(x => x.TimeZone, TimeZoneInfo.Utc).Add(x => x.Bubbles,
        [
            new GetConversation.Bubble(Guid.NewGuid(), MessageDirection.Inbound, MessageAuthor.Customer, "hi", "text", null, DeliveryState.None, null, null, At),
            Out(DeliveryState.Sent),
            Out(DeliveryState.Delivered),
            Out(DeliveryState.Read),
            Out(DeliveryState.Failed, "131047", "Re-engagement message", null,
                new GetConversation.Attempt(1, At, false, "130429", "Rate limit hit", At.AddSeconds(2)),
                new GetConversation.Attempt(2, At.AddSeconds(2), false, "131047", "Re-engagement message", null)),
            Out(DeliveryState.Queued, "130429", "Rate limit hit", At.AddMinutes(1),
                new GetConversation.Attempt(1, At, false, "130429", "Rate limit hit", At.AddMinutes(1))),
        ]));

        var marks = cut.FindAll("[data-testid=message-status]");
        Assert.Equal(["sent", "delivered", "read", "failed", "queued"], marks.Select(m => m.GetAttribute("data-status")));
        var reason = cut.Find("[data-testid=message-status-reason]").TextContent;
        Assert.Contains(explanation, reason);
        Assert.Contains("131047", reason);
        Assert.Contains("130429", cut.Find("[data-testid=message-status-retry]").TextContent);
        var attempts = cut.FindAll("[data-testid=message-attempt]");
        Assert.Equal(3, attempts.Count);
        Assert.Contains(attempt, attempts[1].TextContent);
    }
}
