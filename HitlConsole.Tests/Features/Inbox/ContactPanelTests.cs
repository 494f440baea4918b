using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>The customer at a glance and labels on conversations, on both databases.</summary>
public sealed class ContactPanelTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task The_panel_shows_the_customer_their_earlier_conversations_and_labels_agents_edit(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        var manager = await app.Services.UserIdAsync(tenant, DemoUsers.Manager);
        Guid conversation, earlier;
        var longAgo = DateTime.UtcNow.AddDays(-40);
        await using (var scope = app.Services.ForTenant(tenant, agent))
        {
            conversation = (await scope.ServiceProvider.GetRequiredService<SimulatorChat>()
                .SendAsCustomerAsync("+34600123555", "Nora", "hola, ¿dónde está mi pedido?", default))!.Value;
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            var current = await db.Conversations.SingleAsync(c => c.Id == conversation);
            await db.Messages.Where(m => m.ConversationId == conversation).ExecuteUpdateAsync(s => s.SetProperty(m => m.Language, "es"));
            var old = new Conversation { ChannelId = current.ChannelId, ContactId = current.ContactId, Status = ConversationStatus.Resolved, LastActivityUtc = longAgo, CreatedUtc = longAgo };
            db.Conversations.Add(old);
            db.Messages.Add(new Message { ChannelId = current.ChannelId, ConversationId = old.Id, Direction = MessageDirection.Inbound, Author = MessageAuthor.Customer,
                Text = "my first question", SentUtc = longAgo, CreatedUtc = longAgo });
            await db.SaveChangesAsync();
            earlier = old.Id;
        }

        await using (var scope = app.Services.ForTenant(tenant, agent))
        {
            var labels = scope.ServiceProvider.GetRequiredService<LabelConversation>();
            Assert.IsType<LabelConversation.Result.Done>(await labels.AddAsync(conversation, "  VIP  ", default));
            Assert.IsType<LabelConversation.Result.Done>(await labels.AddAsync(conversation, "refund", default));
            Assert.Equal(new LabelConversation.Result.Refused("LabelInvalid"), await labels.AddAsync(conversation, "   ", default));
            var done = Assert.IsType<LabelConversation.Result.Done>(await labels.AddAsync(conversation, "vip", default)); // already there
            Assert.Equal(["refund", "vip"], done.Labels);
            Assert.IsType<LabelConversation.Result.Done>(await labels.RemoveAsync(conversation, "refund", default));

            var panel = (await scope.ServiceProvider.GetRequiredService<GetContactPanel>().HandleAsync(conversation, default))!;
            Assert.Equal(("Nora", "+34600123555", ChannelKind.Simulator, "es"), (panel.Name, panel.Address, panel.Channel, panel.Language));
            Assert.Equal(longAgo, panel.FirstContactUtc, TimeSpan.FromSeconds(1));
            var other = Assert.Single(panel.Conversations);
            Assert.Equal((earlier, ConversationStatus.Resolved, "my first question"), (other.ConversationId, other.Status, other.LastText));
            Assert.Equal(["vip"], panel.Labels);
        }

        await using (var scope = app.Services.ForTenant(tenant, manager))
            Assert.Equal(new LabelConversation.Result.Refused("LabelRefusedRole"),
                await scope.ServiceProvider.GetRequiredService<LabelConversation>().AddAsync(conversation, "x", default));
        var (otherTenant, otherAdmin, _) = await app.Services.CreateOtherTenantAsync();
        await using (var scope = app.Services.ForTenant(otherTenant, otherAdmin))
        {
            Assert.IsType<LabelConversation.Result.NotFound>(await scope.ServiceProvider.GetRequiredService<LabelConversation>().AddAsync(conversation, "x", default));
            Assert.Null(await scope.ServiceProvider.GetRequiredService<GetContactPanel>().HandleAsync(conversation, default));
        }
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.Equal(["conversation.label-added", "conversation.label-added", "conversation.label-removed"],
                await db.AuditEvents.IgnoreQueryFilters().Where(a => a.Action.StartsWith("conversation.label")).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }
}
