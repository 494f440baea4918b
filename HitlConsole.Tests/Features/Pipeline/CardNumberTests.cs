using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Pipeline;

/// <summary>A card number a customer writes is masked before anything stores, shows or drafts from it.</summary>
public sealed class CardNumberTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    [Theory]
    [InlineData("Mi tarjeta es 4111 1111 1111 1111, cobradme otra vez", "Mi tarjeta es •••• •••• •••• 1111, cobradme otra vez")]
    [InlineData("card 5555-5555-5555-4444 expires 12/29", "card •••• •••• •••• 4444 expires 12/29")]
    [InlineData("amex 378282246310005.", "amex •••• •••• •••• 0005.")]
    [InlineData("4000056655665556", "•••• •••• •••• 5556")]
    // Order, tracking and phone numbers stay as written: no card brand starts with 1, or the check digit does not hold.
    [InlineData("how can I cancel purchase 113542617735902?", "how can I cancel purchase 113542617735902?")]
    [InlineData("pedido 4111 1111 1111 1112", "pedido 4111 1111 1111 1112")]
    [InlineData("llamadme al +34 600 111 222 o al 611223344", "llamadme al +34 600 111 222 o al 611223344")]
    [InlineData("tracking 1Z999AA10123456784", "tracking 1Z999AA10123456784")]
    public void Card_numbers_are_masked_and_other_numbers_kept(string text, string expected) => Assert.Equal(expected, CardNumbers.Mask(text));

    [Theory, MemberData(nameof(Providers))]
    public async Task A_card_number_in_a_message_is_stored_and_drafted_from_masked(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        await using var scope = app.Services.ForTenant(await app.Services.DemoTenantIdAsync());
        var conversation = await scope.ServiceProvider.GetRequiredService<SimulatorChat>()
            .SendAsCustomerAsync("+34600777001", "Iván", "Mi tarjeta es 4111 1111 1111 1111, me habéis cobrado dos veces", default);

        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var stored = await db.Messages.IgnoreQueryFilters().SingleAsync(m => m.ConversationId == conversation);
        Assert.Equal("Mi tarjeta es •••• •••• •••• 1111, me habéis cobrado dos veces", stored.Text);
        Assert.Equal(0, await db.Messages.IgnoreQueryFilters().CountAsync(m => m.Text!.Contains("4111 1111 1111")));
        await scope.ServiceProvider.GetRequiredService<GenerateDraft>().HandleAsync(stored.Id, default);
        var draft = await db.Drafts.IgnoreQueryFilters().SingleAsync(d => d.MessageId == stored.Id);
        Assert.DoesNotContain("4111 1111", draft.Text + draft.Reasoning + draft.Alternatives);
    }
}
