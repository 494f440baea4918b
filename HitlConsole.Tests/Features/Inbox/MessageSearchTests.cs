using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Inbox;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Features.Platform;
using HitlConsole.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Inbox;

/// <summary>The inbox's full-text search over messages, on both databases: accents, every word, the word being typed, workspaces.</summary>
public sealed class MessageSearchTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static async Task<Guid[]> SearchAsync(IServiceProvider sp, string text, GetInbox.Narrowing? narrow = null)
    {
        var result = await sp.GetRequiredService<GetInbox>().HandleAsync(new GetInbox.Query(InboxFilter.All, text, 0, 50, Narrow: narrow), default);
        Assert.Equal(result.Rows.Count, result.Total);
        return result.Rows.Select(r => r.ConversationId).Order().ToArray();
    }

    private static Guid[] Of(params Guid[] ids) => ids.Order().ToArray();

    [Theory, MemberData(nameof(Providers))]
    public async Task Search_finds_words_with_or_without_accents_all_words_of_the_query_and_the_word_being_typed(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
        var sp = scope.ServiceProvider;
        var chat = sp.GetRequiredService<SimulatorChat>();
        var lucia = (await chat.SendAsCustomerAsync("+34600300001", "Lucía", "¿Cuándo llega mi ENVÍO a Málaga?", default))!.Value;
        var tom = (await chat.SendAsCustomerAsync("+34600300002", "Tom", "The parcel to Malaga never arrived", default))!.Value;
        var ana = (await chat.SendAsCustomerAsync("+34600300003", "Ana", "Quiero cambiar la dirección del envio", default))!.Value;

        Assert.Equal(Of(lucia, ana), await SearchAsync(sp, "envio"));
        Assert.Equal(Of(lucia, ana), await SearchAsync(sp, "Envío"));
        Assert.Equal(Of(lucia, tom), await SearchAsync(sp, "málaga"));
        // Every word, in any order, in one message.
        Assert.Equal(Of(lucia), await SearchAsync(sp, "malaga envio"));
        Assert.Equal(Of(tom), await SearchAsync(sp, "arrived malaga"));
        Assert.Empty(await SearchAsync(sp, "envio parcel"));
        // The last word is a prefix: the word being typed.
        Assert.Equal(Of(lucia, tom), await SearchAsync(sp, "mala"));
        Assert.Equal(Of(ana), await SearchAsync(sp, "cambiar direc"));
        Assert.Empty(await SearchAsync(sp, "direc cambiar"));
        // The customer's name and number still match as substrings.
        Assert.Equal(Of(lucia), await SearchAsync(sp, "Lucí"));
        Assert.Equal(Of(tom), await SearchAsync(sp, "600300002"));
        // A number as people write it, with spaces or dashes (the simulator's own example is "+34 600 000 001").
        Assert.Equal(Of(tom), await SearchAsync(sp, "+34 600 300 002"));
        Assert.Equal(Of(tom), await SearchAsync(sp, "600-300-002"));
        // The channel narrows a search: these customers wrote from the simulator.
        Assert.Equal(Of(lucia, ana), await SearchAsync(sp, "envio", new GetInbox.Narrowing(Channel: ChannelKind.Simulator)));
        Assert.Empty(await SearchAsync(sp, "envio", new GetInbox.Narrowing(Channel: ChannelKind.WhatsAppCloud)));
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Another_workspaces_messages_are_never_found(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var demo = await app.Services.DemoTenantIdAsync();
        var acme = await SecondWorkspace.SeedAsync(app.Services);

        await using (var scope = app.Services.ForTenant(demo, await app.Services.UserIdAsync(demo, DemoUsers.Agent)))
        {
            Assert.Empty(await SearchAsync(scope.ServiceProvider, "quokka plush"));
            Assert.Empty(await SearchAsync(scope.ServiceProvider, "quok"));
        }
        await using (var scope = app.Services.ForTenant(acme.TenantId, acme.AdminId))
        {
            // The test can fail: the same search in the workspace that owns the message finds it.
            Assert.Single(await SearchAsync(scope.ServiceProvider, "quokka plush"));
        }
    }

    private static readonly string[] HostileQueries =
    [
        "\"", "\"envio", "envio\"", "NEAR(envio malaga)", "NEAR(", "*", "envio*", "-envio", "envio -malaga", "envio OR parcel", "AND", "NOT envio",
        "'; DROP TABLE Messages; --", "^envio", "Text:envio", "{Text}: envio", "envio & !malaga", "envio:*", "(", ")", "\\", "%", "_", "🙂 envío",
        "a", new string('x', 5000), string.Join(' ', Enumerable.Range(0, 200).Select(i => "w" + i)),
    ];

    [Theory, MemberData(nameof(Providers))]
    public async Task Quotes_operators_and_odd_input_give_results_or_none_but_never_an_error(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var tenant = await app.Services.DemoTenantIdAsync();
        await using var scope = app.Services.ForTenant(tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Agent));
        var sp = scope.ServiceProvider;
        var lucia = (await sp.GetRequiredService<SimulatorChat>().SendAsCustomerAsync("+34600300001", "Lucía", "¿Cuándo llega mi envío a Málaga?", default))!.Value;
        string[] tokens = ["cuando", "llega", "mi", "envio", "a", "malaga"];

        foreach (var query in HostileQueries)
        {
            var found = await SearchAsync(sp, query);
            // Operators are separators: what is left are plain words, all of which must be in the message (the last as a prefix).
            var words = MessageSearch.Words(query);
            var expected = words.Count > 0 && words.Select((w, i) => i == words.Count - 1 && w.Length > 1
                ? tokens.Any(t => t.StartsWith(w, StringComparison.Ordinal)) : tokens.Contains(w)).All(x => x);
            Assert.True(expected == found.Contains(lucia), $"query <{query[..Math.Min(query.Length, 40)]}>: expected found={expected}");
        }
    }
}
