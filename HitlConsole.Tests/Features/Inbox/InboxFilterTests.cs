using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>Inbox filters (status, assignee, label, language, dates) on both databases, and the URL that carries them.</summary>
public sealed class InboxFilterTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory, MemberData(nameof(Providers))]
    public async Task Filters_by_status_assignee_label_language_and_activity_dates_narrow_the_list(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        await using var scope = app.Services.ForTenant(tenant, agent);
        var sp = scope.ServiceProvider;
        var chat = sp.GetRequiredService<SimulatorChat>();
        var nora = (await chat.SendAsCustomerAsync("+34600200001", "Nora", "where is my parcel?", default))!.Value;
        var pablo = (await chat.SendAsCustomerAsync("+34600200002", "Pablo", "¿dónde está mi pedido?", default))!.Value;
        var olga = (await chat.SendAsCustomerAsync("+34600200003", "Olga", "refund please", default))!.Value;
        var old = DateTime.UtcNow.AddDays(-30);
        await using (var db = await sp.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            await db.Messages.Where(m => m.ConversationId == pablo).ExecuteUpdateAsync(s => s.SetProperty(m => m.Language, "es"));
            await db.Messages.Where(m => m.ConversationId == nora).ExecuteUpdateAsync(s => s.SetProperty(m => m.Language, "en"));
            await db.Conversations.Where(c => c.Id == olga).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConversationStatus.Resolved).SetProperty(c => c.LastActivityUtc, old));
        }
        await sp.GetRequiredService<AssignConversation>().AssignAsync(nora, agent, default);
        await sp.GetRequiredService<LabelConversation>().AddAsync(pablo, "VIP", default);

        async Task<Guid[]> ListAsync(GetInbox.Narrowing narrow)
        {
            var result = await sp.GetRequiredService<GetInbox>().HandleAsync(new GetInbox.Query(InboxFilter.All, null, 0, 50, Narrow: narrow), default);
            Assert.Equal(result.Rows.Count, result.Total);
            return result.Rows.Select(r => r.ConversationId).Order().ToArray();
        }
        Guid[] Of(params Guid[] ids) => ids.Order().ToArray();

        Assert.Equal(Of(nora, pablo, olga), await ListAsync(new()));
        Assert.Equal(Of(olga), await ListAsync(new(Status: ConversationStatus.Resolved)));
        Assert.Equal(Of(nora), await ListAsync(new(Assignee: GetInbox.Me)));
        Assert.Equal(Of(nora), await ListAsync(new(Assignee: agent)));
        Assert.Equal(Of(pablo, olga), await ListAsync(new(Assignee: GetInbox.Unassigned)));
        Assert.Equal(Of(pablo), await ListAsync(new(Label: "vip")));
        Assert.Equal(Of(pablo), await ListAsync(new(Language: "es")));
        Assert.Equal(Of(olga), await ListAsync(new(UntilUtc: DateTime.UtcNow.AddDays(-1))));
        Assert.Equal(Of(nora, pablo), await ListAsync(new(FromUtc: DateTime.UtcNow.AddDays(-1))));
        Assert.Empty(await ListAsync(new(Label: "vip", Language: "en")));
    }

    [Fact]
    public void The_view_round_trips_through_the_url_and_ignores_what_it_does_not_know()
    {
        var view = new InboxView(InboxFilter.All, "refund", ConversationStatus.Open, GetInbox.Me, "vip", "es", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30));
        var query = view.ToQuery();
        Assert.Equal("all", query["lane"]);
        Assert.Equal("2026-11-01", query["since"]);
        Assert.Equal(view, InboxView.Parse(k => query[k]?.ToString()));
        Assert.Equal(6, view.FilterCount);

        var junk = InboxView.Parse(k => k switch { "lane" => "nonsense", "status" => "99", "lang" => "fr", "since" => "yesterday", "label" => "  VIP  Client ", _ => null });
        Assert.Equal(new InboxView(Label: "vip client"), junk);
        Assert.Null(new InboxView().ToQuery()["lane"]); // the default lane leaves the URL clean
        var whatsApp = new InboxView(Channel: ChannelKind.WhatsAppCloud);
        Assert.Equal("whatsapp", whatsApp.ToQuery()["channel"]);
        Assert.Equal(whatsApp, InboxView.Parse(k => whatsApp.ToQuery()[k]?.ToString()));
        Assert.Equal(ChannelKind.Simulator, InboxView.Parse(k => k == "channel" ? "Simulator" : null).Channel);
        Assert.Null(InboxView.Parse(k => k == "channel" ? "fax" : null).Channel);

        var madrid = TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid");
        var narrow = new InboxView(Since: new DateOnly(2026, 7, 1), Until: new DateOnly(2026, 7, 1)).Narrowing(madrid);
        Assert.Equal((new DateTime(2026, 6, 30, 22, 0, 0), new DateTime(2026, 7, 1, 22, 0, 0)), (narrow.FromUtc, narrow.UntilUtc));
    }
}
