using HitlConsole.Domain;
using HitlConsole.Features.Channels.Simulator;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Demo;

/// <summary>
/// The demo's inbox on first run: customers who wrote just before it started, through the simulator and the real pipeline (so
/// the model in charge drafts them and the guardrail reads them), each conversation reviewed by a person before anything goes
/// out. Ordinary questions in both languages, one the knowledge does not answer, and one the guardrail holds.
/// </summary>
internal static class DemoQueue
{
    private static readonly (string Address, string Name, string Text)[] Customers =
    [
        ("+447700900101", "Olivia Bennett", "Hi, I was charged twice for my last order. Can you refund the duplicate payment?"),
        ("+34611000102", "Lucía Fernández", "Hola, quiero cancelar el pedido que hice ayer, ¿cómo lo hago?"),
        ("+447700900103", "James Carter", "How long does delivery to Manchester usually take?"),
        ("+34611000104", "Javier Ruiz", "¿Dónde está mi reembolso? Devolví las zapatillas hace dos semanas."),
        ("+447700900105", "Priya Shah", "Do you have a student discount? I'm at university in Leeds."),
        ("+34611000106", "Carmen López", "¿Puedo cambiar la dirección de envío de mi pedido? Me mudo la semana que viene."),
        ("+447700900107", "Mark Evans", "Third time asking. You people are useless idiots, answer me!"),
        ("+447700900108", "Sofia Rossi", "I forgot my password and can't log in to my account"),
    ];

    public static async Task SeedAsync(IServiceProvider services, int count, CancellationToken ct)
    {
        var chat = services.GetRequiredService<SimulatorChat>();
        var factory = services.GetRequiredService<IDbContextFactory<HitlDbContext>>();
        foreach (var (address, name, text) in Customers.Take(count))
        {
            if (await chat.SendAsCustomerAsync(address, name, text, ct) is not { } conversation) continue;
            // Before any draft exists (the outbox starts after the database is ready): a person decides every reply here.
            await using var db = await factory.CreateDbContextAsync(ct);
            await db.Conversations.Where(c => c.Id == conversation).ExecuteUpdateAsync(s => s.SetProperty(c => c.AiMode, AiMode.ReviewEverything), ct);
        }
    }
}
