using Bunit;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>The review components on their own: timeline states, chips, counter, and the held-by state against a real database.</summary>
public sealed class ReviewComponentTests : BunitHost
{
    private static GetConversation.Bubble Bubble(MessageDirection direction, string? text, DeliveryState state = DeliveryState.Delivered,
        string type = "text", string? caption = null, string? errorCode = null, string? errorTitle = null) =>
        new(Guid.NewGuid(), direction, direction == MessageDirection.Inbound ? MessageAuthor.Customer : MessageAuthor.Agent, text, type, caption,
            state, errorCode, errorTitle, new DateTime(2026, 11, 26, 9, 30, 0, DateTimeKind.Utc));

    [Fact]
    public void The_timeline_shows_ticks_failures_with_their_reason_and_attachments_by_type_in_spanish()
    {
        UseCulture("es");
        var cut = Render<Timeline>(p => p.Add(x => x.TimeZone, TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid")).Add(x => x.Bubbles,
        [
            Bubble(MessageDirection.Inbound, null, type: "image", caption: "la caja llegó rota"),
            Bubble(MessageDirection.Inbound, null, type: "location"),
            Bubble(MessageDirection.Outbound, "Lo sentimos", DeliveryState.Read),
            Bubble(MessageDirection.Outbound, "¿Sigue ahí?", DeliveryState.Failed, errorCode: "131047", errorTitle: "Re-engagement message"),
        ]));

        var bubbles = cut.FindAll("[data-testid=message-bubble]");
        Assert.Equal(4, bubbles.Count);
        Assert.Contains("la caja llegó rota", bubbles[0].TextContent);
        Assert.Contains("image", bubbles[0].TextContent);
        Assert.Contains("location", bubbles[1].TextContent);
        Assert.Contains("26/11/2026 10:30", bubbles[2].TextContent); // the tenant's clock, not UTC
        Assert.Equal(2, cut.FindAll("[data-testid=delivery-tick]").Count); // only our own messages carry ticks
        Assert.Contains("131047", bubbles[3].TextContent);
        Assert.Contains("Re-engagement message", bubbles[3].TextContent);
        Assert.Contains("hitl-bubble-left", bubbles[0].ClassName);
        Assert.Contains("hitl-bubble-right", bubbles[3].ClassName);
    }

    [Theory]
    [InlineData("en", "1,102 earlier messages are not shown; the newest 500 are.")]
    [InlineData("es", "No se muestran 1.102 mensajes anteriores; se muestran los 500 más recientes.")]
    public void A_timeline_cut_to_its_newest_messages_says_how_many_older_ones_it_leaves_out(string culture, string expected)
    {
        UseCulture(culture);
        var cut = Render<Timeline>(p => p.Add(x => x.TimeZone, TimeZoneInfo.Utc).Add(x => x.EarlierMessages, 1102)
            .Add(x => x.Bubbles, [Bubble(MessageDirection.Inbound, "Where is my parcel now?")]));

        Assert.Equal(expected, cut.Find("[data-testid=timeline-earlier]").TextContent.Trim());
        var whole = Render<Timeline>(p => p.Add(x => x.TimeZone, TimeZoneInfo.Utc).Add(x => x.Bubbles, [Bubble(MessageDirection.Inbound, "Hi")]));
        Assert.Empty(whole.FindAll("[data-testid=timeline-earlier]"));
    }

    /// <summary>A pending draft in a real app; the editor renders with that app's services, as a circuit of <paramref name="email"/>.</summary>
    private async Task<(HitlAppFactory App, GetConversation.DraftView Draft, Guid ConversationId)> DraftAsync(string email, string? claimedBy = null,
        string text = "I want to cancel my order")
    {
        var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();
        var user = await app.Services.UserIdAsync(tenant, email);
        var scope = app.Services.ForTenant(tenant, user);
        var conversationId = (await scope.ServiceProvider.GetRequiredService<SimulatorChat>()
            .SendAsCustomerAsync("+34600222333", "Lola", text, default))!.Value;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            var messageId = await db.Messages.IgnoreQueryFilters().Where(m => m.ConversationId == conversationId).Select(m => m.Id).SingleAsync();
            await scope.ServiceProvider.GetRequiredService<GenerateDraft>().HandleAsync(messageId, default);
        }
        if (claimedBy is not null)
        {
            await using var other = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, claimedBy));
            var draftId = (await scope.ServiceProvider.GetRequiredService<GetConversation>().HandleAsync(conversationId, default))!.Draft!.Id;
            await other.ServiceProvider.GetRequiredService<DraftLeases>().ClaimAsync(draftId, false, default);
        }
        Ctx.AddAuthorization().SetAuthorized(email).SetRoles(email == DemoUsers.Admin ? Roles.Admin : Roles.Agent);
        Ctx.Services.AddFallbackServiceProvider(scope.ServiceProvider);
        return (app, (await scope.ServiceProvider.GetRequiredService<GetConversation>().HandleAsync(conversationId, default))!.Draft!, conversationId);
    }

    [Fact]
    public async Task A_suggested_reply_fills_the_box_and_the_counter_follows()
    {
        var (app, draft, _) = await DraftAsync(DemoUsers.Agent);
        await using var _ = app;
        Assert.NotEmpty(draft.Alternatives);
        var cut = Render<DraftEditor>(p => p.Add(x => x.Draft, draft));

        string Box() => (cut.Find("textarea[data-testid=draft-editor]").GetAttribute("value") ?? "").ReplaceLineEndings("\n");
        Assert.Equal(draft.Text.ReplaceLineEndings("\n"), Box());
        cut.FindAll("[data-testid=suggested-reply]")[0].Click();
        Assert.Equal(draft.Alternatives[0].ReplaceLineEndings("\n"), Box());
        Assert.Contains($"{draft.Alternatives[0].Length} / 4096", cut.Markup);
        Assert.Empty(cut.FindAll("[data-testid=draft-held-by]"));
        // The chosen suggestion is marked as chosen and is not offered again.
        var chosen = cut.FindAll("[data-testid=suggested-reply]")[0];
        Assert.Equal("true", chosen.GetAttribute("aria-current"));
        Assert.Single(cut.FindAll("[data-testid=suggested-reply][aria-current=true]"));
    }

    [Fact]
    public async Task A_draft_the_customer_wrote_again_after_says_so_until_the_draft_of_their_newest_message_is_shown()
    {
        UseCulture("es");
        var (app, first, conversationId) = await DraftAsync(DemoUsers.Agent);
        await using var _ = app;
        Assert.Equal(0, first.CustomerWroteAfter);
        Assert.Empty(Render<DraftEditor>(p => p.Add(x => x.Draft, first)).FindAll("[data-testid=draft-customer-wrote-again]"));

        // The customer writes again while the first draft waits: that draft is still the one shown, and it says so.
        var tenant = await app.Services.DemoTenantIdAsync();
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
        await scope.ServiceProvider.GetRequiredService<SimulatorChat>().SendAsCustomerAsync("+34600222333", "Lola", "Mejor cambia la dirección", default);
        var conversation = scope.ServiceProvider.GetRequiredService<GetConversation>();
        var waiting = (await conversation.HandleAsync(conversationId, default))!.Draft!;
        Assert.Equal(first.Id, waiting.Id);
        Assert.Equal(1, waiting.CustomerWroteAfter);
        var notice = Render<DraftEditor>(p => p.Add(x => x.Draft, waiting)).Find("[data-testid=draft-customer-wrote-again]");
        Assert.Contains("El cliente volvió a escribir después de este borrador", notice.TextContent);

        // Once the first draft is decided, the newest message's own draft is shown, with nothing newer to warn of.
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            var newest = await db.Messages.IgnoreQueryFilters().Where(m => m.ConversationId == conversationId && m.Text == "Mejor cambia la dirección").Select(m => m.Id).SingleAsync();
            await scope.ServiceProvider.GetRequiredService<GenerateDraft>().HandleAsync(newest, default);
            await db.Drafts.IgnoreQueryFilters().Where(d => d.Id == first.Id).ExecuteUpdateAsync(u => u.SetProperty(d => d.State, DraftState.Rejected));
        }
        var next = (await conversation.HandleAsync(conversationId, default))!.Draft!;
        Assert.NotEqual(first.Id, next.Id);
        Assert.Equal(0, next.CustomerWroteAfter);
    }

    [Fact]
    public async Task A_sure_draft_with_a_placeholder_left_to_fill_is_not_shown_green()
    {
        UseInteractive();
        var (app, draft, _) = await DraftAsync(DemoUsers.Agent);
        await using var _ = app;
        var sure = draft with { Confidence = 94, LowConfidence = false };

        var ready = Render<DraftEditor>(p => p.Add(x => x.Draft, sure with { Text = "Your order ships tomorrow." }));
        Assert.Contains("mud-chip-color-success", ready.Find("[data-testid=draft-confidence]").ClassName);
        var unfilled = Render<DraftEditor>(p => p.Add(x => x.Draft, sure with { Text = "Your order {{Order Number}} ships tomorrow." }));
        Assert.DoesNotContain("mud-chip-color-success", unfilled.Find("[data-testid=draft-confidence]").ClassName);
    }

    [Fact]
    public async Task Opening_a_blocked_draft_assigns_nobody()
    {
        UseInteractive();
        var (app, draft, conversationId) = await DraftAsync(DemoUsers.Agent, text: "Eres un idiota, respondan ya");
        await using var _ = app;
        Assert.Equal(DraftState.Blocked, draft.State);

        Render<DraftEditor>(p => p.Add(x => x.Draft, draft));

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Null(await db.Conversations.IgnoreQueryFilters().Where(c => c.Id == conversationId).Select(c => c.AssigneeUserId).SingleAsync());
    }

    [Fact]
    public async Task A_draft_someone_else_reviews_is_read_only_with_their_name_and_a_take_over_button()
    {
        UseInteractive();
        var (app, draft, _) = await DraftAsync(DemoUsers.Agent, claimedBy: DemoUsers.Admin);
        await using var _ = app;
        var cut = Render<DraftEditor>(p => p.Add(x => x.Draft, draft));

        cut.WaitForAssertion(() => Assert.Contains("Ada Admin is reviewing", cut.Find("[data-testid=draft-held-by]").TextContent));
        Assert.True(cut.Find("button[data-testid=draft-approve]").HasAttribute("disabled"));
        Assert.True(cut.Find("textarea[data-testid=draft-editor]").HasAttribute("disabled"));

        cut.Find("[data-testid=draft-take-over]").Click();
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=draft-held-by]")));
        // A demo answer may hold a {{placeholder}}, which keeps approve disabled on its own: write a complete reply.
        cut.Find("textarea[data-testid=draft-editor]").Input("Thanks, it is done.");
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=draft-approve]").HasAttribute("disabled")));
    }

    [Fact]
    public async Task An_unresolved_placeholder_is_highlighted_and_approve_waits_until_it_is_filled()
    {
        var (app, draft, _) = await DraftAsync(DemoUsers.Agent);
        await using var _ = app;
        var cut = Render<DraftEditor>(p => p.Add(x => x.Draft, draft with { Text = "Your order {{Order Number}} ships {{ Delivery Date }}." }));

        Assert.Equal(["{{Order Number}}", "{{ Delivery Date }}"], cut.FindAll("[data-testid=draft-placeholder]").Select(m => m.TextContent).ToArray());
        Assert.True(cut.Find("button[data-testid=draft-approve]").HasAttribute("disabled"));

        cut.Find("textarea[data-testid=draft-editor]").Input("Your order A-2291 ships tomorrow.");
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=draft-placeholder]")));
        Assert.False(cut.Find("button[data-testid=draft-approve]").HasAttribute("disabled"));

        // A placeholder the conversation fills on sending is not flagged.
        cut.Render(p => p.Add(x => x.KnownPlaceholders, new Dictionary<string, string> { ["Customer Name"] = "Rosa" }));
        cut.Find("textarea[data-testid=draft-editor]").Input("Thanks {{customer_name}}, order {{Order Number}} ships tomorrow.");
        cut.WaitForAssertion(() => Assert.Equal(["{{Order Number}}"], cut.FindAll("[data-testid=draft-placeholder]").Select(m => m.TextContent).ToArray()));
    }

    [Fact]
    public async Task An_order_number_the_customer_writes_while_the_conversation_is_open_is_no_longer_flagged_in_the_editor()
    {
        var (app, _, conversationId) = await DraftAsync(DemoUsers.Agent);
        await using var _ = app;
        var cut = Render<ConversationView>(p => p.Add(x => x.ConversationId, conversationId));
        string[] Flagged() => cut.FindAll("[data-testid=draft-placeholder]").Select(m => m.TextContent).ToArray();

        cut.WaitForElement("textarea[data-testid=draft-editor]").Input("Order {{Order Number}} is cancelled.");
        cut.WaitForAssertion(() => Assert.Equal(["{{Order Number}}"], Flagged()));

        await Ctx.Services.GetRequiredService<SimulatorChat>().SendAsCustomerAsync("+34600222333", "Lola", "My order is A-2291", default);

        cut.WaitForAssertion(() => Assert.Contains("A-2291", cut.Find("[data-testid=timeline]").TextContent));
        cut.WaitForAssertion(() => Assert.Empty(Flagged()));
    }

    /// <summary>Availability decides whom automatic assignment picks; a manager who reads the inbox is never picked, so has no switch.</summary>
    [Theory]
    [InlineData(DemoUsers.Agent, true)]
    [InlineData(DemoUsers.Manager, false)]
    public async Task Only_people_who_can_be_assigned_see_the_availability_switch(string email, bool shown)
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, email));
        Ctx.AddAuthorization().SetAuthorized(email).SetRoles(email == DemoUsers.Manager ? Roles.Manager : Roles.Agent);
        Ctx.Services.AddFallbackServiceProvider(scope.ServiceProvider);

        var cut = Render<PresenceBar>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=alerts-mute]")));
        Assert.Equal(shown, cut.FindAll("[data-testid=agent-status]").Count == 1);
    }
}
