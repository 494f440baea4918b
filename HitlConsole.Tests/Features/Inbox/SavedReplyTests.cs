using HitlConsole.Features.AgentConfig;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>Saved replies: kept by Admins per language, offered in the customer's language with placeholders filled; "/" in the editor.</summary>
public sealed class SavedReplyTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static ManageSavedReplies.Input Reply(string shortcut, string language, string text) => new() { Shortcut = shortcut, Language = language, Text = text };

    [Theory, MemberData(nameof(Providers))]
    public async Task Admins_keep_saved_replies_per_language_and_agents_get_them_in_the_customers_language_with_the_name_filled(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        Guid conversation;
        await using (var scope = app.Services.ForTenant(tenant, agent))
            conversation = (await scope.ServiceProvider.GetRequiredService<SimulatorChat>()
                .SendAsCustomerAsync("+34600123777", "Lucía Fernández", "hola, ¿cuándo llega mi pedido?", default))!.Value;
        // Drafting decides the message's language (Spanish here).
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            await db.Messages.IgnoreQueryFilters().Where(m => m.ConversationId == conversation).ExecuteUpdateAsync(s => s.SetProperty(m => m.Language, "es"));

        await using (var scope = app.Services.ForTenant(tenant, agent))
            Assert.Equal(new ManageSavedReplies.Result.Refused("SavedReplyRefusedRole"),
                await scope.ServiceProvider.GetRequiredService<ManageSavedReplies>().SaveAsync(null, Reply("hi", "en", "Hello"), default));

        await using (var scope = app.Services.ForTenant(tenant, admin))
        {
            var manage = scope.ServiceProvider.GetRequiredService<ManageSavedReplies>();
            Assert.IsType<ManageSavedReplies.Result.Saved>(await manage.SaveAsync(null, Reply("Shipping times", "en", "Hi {{first_name}}, parcels take 2-3 days."), default));
            var es = Assert.IsType<ManageSavedReplies.Result.Saved>(await manage.SaveAsync(null, Reply("/envio", "es", "Hola {{ Customer Name }}, tarda {{plazo}}."), default));
            Assert.Equal(new ManageSavedReplies.Result.Refused("SavedReplyShortcutTaken"), await manage.SaveAsync(null, Reply("envio", "es", "otra"), default));
            Assert.IsType<ManageSavedReplies.Result.Saved>(await manage.SaveAsync(null, Reply("envio", "en", "Same shortcut, other language"), default));
            Assert.IsType<ManageSavedReplies.Result.Saved>(await manage.SaveAsync(es.Id, Reply("envio", "es", "Hola {{ Customer Name }}, tarda {{plazo}} días."), default));
            Assert.Equal(["envio", "shipping-times", "envio"], (await manage.ListAsync(default)).Select(r => r.Shortcut));
        }

        await using (var scope = app.Services.ForTenant(tenant, agent))
        {
            var choices = await scope.ServiceProvider.GetRequiredService<GetSavedReplies>().HandleAsync(conversation, default);
            Assert.Equal(["es"], choices.Take(1).Select(c => c.Language)); // the customer's language first
            Assert.Equal("Hola Lucía Fernández, tarda {{plazo}} días.", choices[0].Text); // an unknown placeholder stays for a person to resolve
            Assert.Equal("Hi Lucía, parcels take 2-3 days.", choices.Single(c => c.Shortcut == "shipping-times").Text); // the first name alone
            var id = choices[0].Id;
            Assert.Equal(new ManageSavedReplies.Result.Refused("SavedReplyRefusedRole"), await scope.ServiceProvider.GetRequiredService<ManageSavedReplies>().DeleteAsync(id, default));
        }

        var (other, otherAdmin, _) = await app.Services.CreateOtherTenantAsync();
        await using (var scope = app.Services.ForTenant(other, otherAdmin))
        {
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<ManageSavedReplies>().ListAsync(default));
            Assert.Empty(await scope.ServiceProvider.GetRequiredService<GetSavedReplies>().HandleAsync(conversation, default));
        }
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            Assert.Equal(4, await db.AuditEvents.IgnoreQueryFilters().CountAsync(a => a.Action.StartsWith("saved-reply.")));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_saved_reply_shows_the_order_number_the_customer_gave_and_the_reviewers_own_name(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        Guid conversation;
        await using (var scope = app.Services.ForTenant(tenant, admin))
        {
            conversation = (await scope.ServiceProvider.GetRequiredService<SimulatorChat>()
                .SendAsCustomerAsync("+34600123780", "Tom Baker", "any news on order 55102? it's late", default))!.Value;
            Assert.IsType<ManageSavedReplies.Result.Saved>(await scope.ServiceProvider.GetRequiredService<ManageSavedReplies>()
                .SaveAsync(null, Reply("late", "en", "Hi {{first_name}}, an update on {{order_number}} is coming. — {{agent_name}}"), default));
        }
        string agentName;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
            agentName = await db.Users.Where(u => u.Id == agent).Select(u => u.DisplayName).SingleAsync();

        // Inserted, the reply reads as it will be sent: sending fills the same order number, so the editor must show it.
        await using (var scope = app.Services.ForTenant(tenant, agent))
            Assert.Equal($"Hi Tom, an update on 55102 is coming. — {agentName}",
                Assert.Single(await scope.ServiceProvider.GetRequiredService<GetSavedReplies>().HandleAsync(conversation, default)).Text);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_persons_own_saved_replies_are_offered_to_them_alone_beside_the_workspaces(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var agent = await app.Services.UserIdAsync(tenant, DemoUsers.Agent);
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        var manager = await app.Services.UserIdAsync(tenant, DemoUsers.Manager);
        Guid conversation;
        await using (var scope = app.Services.ForTenant(tenant, admin))
        {
            conversation = (await scope.ServiceProvider.GetRequiredService<SimulatorChat>().SendAsCustomerAsync("+34600123779", "Nora", "hello", default))!.Value;
            var manage = scope.ServiceProvider.GetRequiredService<ManageSavedReplies>();
            Assert.IsType<ManageSavedReplies.Result.Saved>(await manage.SaveAsync(null, Reply("thanks", "en", "Thanks from all of us"), default));
            Assert.IsType<ManageSavedReplies.Result.Saved>(await manage.SaveAsync(null, new() { Shortcut = "boss", Language = "en", Text = "Admin's own", Mine = true }, default));
        }

        Guid agentsOwn;
        await using (var scope = app.Services.ForTenant(tenant, agent))
        {
            var manage = scope.ServiceProvider.GetRequiredService<ManageSavedReplies>();
            Assert.Equal(new ManageSavedReplies.Rights(Own: true, Workspace: false), await manage.RightsAsync(default));
            // The same shortcut as the workspace's is allowed for a person's own; twice their own is not.
            agentsOwn = Assert.IsType<ManageSavedReplies.Result.Saved>(
                await manage.SaveAsync(null, new() { Shortcut = "thanks", Language = "en", Text = "Cheers, Sam", Mine = true }, default)).Id;
            Assert.Equal(new ManageSavedReplies.Result.Refused("SavedReplyShortcutTaken"),
                await manage.SaveAsync(null, new() { Shortcut = "thanks", Language = "en", Text = "again", Mine = true }, default));
            // An Agent lists and changes only their own.
            var list = await manage.ListAsync(default);
            Assert.Equal([("thanks", true)], list.Select(r => (r.Shortcut, r.Mine)));
            Assert.IsType<ManageSavedReplies.Result.Saved>(
                await manage.SaveAsync(agentsOwn, new() { Shortcut = "thanks", Language = "en", Text = "Cheers, Sam!", Mine = true }, default));
            var choices = await scope.ServiceProvider.GetRequiredService<GetSavedReplies>().HandleAsync(conversation, default);
            Assert.Equal([("thanks", true, "Cheers, Sam!"), ("thanks", false, "Thanks from all of us")], choices.Select(c => (c.Shortcut, c.Mine, c.Text)));
        }

        await using (var scope = app.Services.ForTenant(tenant, admin))
        {
            var manage = scope.ServiceProvider.GetRequiredService<ManageSavedReplies>();
            Assert.Equal([("boss", true), ("thanks", false)], (await manage.ListAsync(default)).Select(r => (r.Shortcut, r.Mine)));
            Assert.DoesNotContain(await scope.ServiceProvider.GetRequiredService<GetSavedReplies>().HandleAsync(conversation, default), c => c.Text.StartsWith("Cheers"));
            // Not even an Admin sees, changes or deletes another person's own reply.
            Assert.IsType<ManageSavedReplies.Result.NotFound>(await manage.DeleteAsync(agentsOwn, default));
            Assert.IsType<ManageSavedReplies.Result.NotFound>(await manage.SaveAsync(agentsOwn, Reply("taken-over", "en", "taken over"), default));
        }

        await using (var scope = app.Services.ForTenant(tenant, manager))
        {
            Assert.Equal(new ManageSavedReplies.Result.Refused("SavedReplyRefusedRole"), await scope.ServiceProvider.GetRequiredService<ManageSavedReplies>()
                .SaveAsync(null, new() { Shortcut = "mine", Language = "en", Text = "Manager's", Mine = true }, default));
        }

        await using (var scope = app.Services.ForTenant(tenant, agent))
        {
            Assert.DoesNotContain(await scope.ServiceProvider.GetRequiredService<GetSavedReplies>().HandleAsync(conversation, default), c => c.Shortcut == "boss");
            Assert.IsType<ManageSavedReplies.Result.Deleted>(await scope.ServiceProvider.GetRequiredService<ManageSavedReplies>().DeleteAsync(agentsOwn, default));
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Workspace_variables_fill_saved_replies_in_the_replys_language(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        var admin = await app.Services.UserIdAsync(tenant, DemoUsers.Admin);
        await using var scope = app.Services.ForTenant(tenant, admin);
        var sp = scope.ServiceProvider;
        var conversation = (await sp.GetRequiredService<SimulatorChat>().SendAsCustomerAsync("+34600123778", null, "phone number?", default))!.Value;
        var live = await sp.GetRequiredService<GetLiveConfig>().HandleAsync(default);
        var doc = live.Document;
        doc.Variables = [new() { Name = "Support phone", Values = new() { ["en"] = "+34 900 100 200", ["es"] = "" } }];
        Assert.IsType<ConfigVersionResult.Saved>(await sp.GetRequiredService<SaveAgentConfig>().HandleAsync(doc, live.Number, "phone", default));
        await sp.GetRequiredService<ManageSavedReplies>().SaveAsync(null, Reply("phone", "en", "Call us on {{support phone}}, {{customer_name}}."), default);

        var choice = Assert.Single(await sp.GetRequiredService<GetSavedReplies>().HandleAsync(conversation, default));
        Assert.Equal("Call us on +34 900 100 200, {{customer_name}}.", choice.Text); // no display name: the placeholder stays
    }

    [Fact]
    public void A_slash_word_at_the_caret_filters_the_replies_and_the_chosen_one_takes_its_place()
    {
        SavedReplyChoice[] replies = [new(Guid.NewGuid(), "shipping", "en", "Parcels take 2-3 days."), new(Guid.NewGuid(), "refund", "en", "Refunds take a week (shipping included).")];
        var text = "Hi Nora,\n/ship";
        var token = SlashCommand.At(text, SlashCommand.CaretAfterEdit("Hi Nora,\n/shi", text));
        Assert.Equal(new SlashCommand.Token(9, 14, "ship"), token);
        Assert.Equal(["shipping", "refund"], SlashCommand.Filter(replies, token!.Query).Select(r => r.Shortcut)); // shortcut first, then text
        Assert.Equal("Hi Nora,\nParcels take 2-3 days.", SlashCommand.Insert(text, token, replies[0].Text));

        Assert.Null(SlashCommand.At("see http://x/y", 14)); // a slash inside a word is not a command
        Assert.Equal(new SlashCommand.Token(0, 1, ""), SlashCommand.At("/", 1));
        Assert.Equal("Draft text\n\nParcels take 2-3 days.", SlashCommand.Insert("Draft text  ", null, replies[0].Text)); // from the picker: added, nothing lost
        Assert.Equal("shipping-times", ManageSavedReplies.Normalise(" /Shipping  Times "));
    }
}
