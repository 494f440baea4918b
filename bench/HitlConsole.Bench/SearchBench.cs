using System.Diagnostics;
using HitlConsole.Domain;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Bench;

/// <summary>
/// The inbox's search over 50,000 messages (10,000 conversations, English and Spanish, a second workspace of the same size beside
/// it) in a fresh SQLite database with the product's schema, through the product's handler: p95 of 30 runs per query after a
/// warm-up, against the substring search it replaced (LIKE over names, numbers and every message's text) measured in the
/// same run on the same queries.
/// </summary>
public static class SearchBench
{
    private static readonly string[] Phrases =
    [
        "Where is my order? It was due on Monday", "¿Dónde está mi pedido? Tenía que llegar el lunes", "I want a refund for the blue jacket",
        "Quiero la devolución de la chaqueta azul", "Can I change the delivery address?", "¿Puedo cambiar la dirección de envío?",
        "The parcel arrived damaged", "El paquete llegó dañado", "Do you ship to Canary Islands?", "¿Hacéis envíos a Canarias?",
        "My card was charged twice", "Me cobraron dos veces en la tarjeta", "Thanks, that solved it", "Gracias, ya está resuelto",
        "How long does shipping take to Málaga?", "¿Cuánto tarda el envío a Málaga?", "I forgot my password", "Olvidé mi contraseña",
    ];

    public static async Task<List<BenchResult>> RunAsync(bool quick, TextWriter log)
    {
        var messages = quick ? 10_000 : 50_000;
        var folder = Directory.CreateTempSubdirectory("hitl-bench-search-").FullName;
        try
        {
            var connection = $"Data Source={Path.Combine(folder, "search.db")}";
            (TenantContext, AnalyticsBench.Factory) For(Guid id)
            {
                var context = new TenantContext();
                context.Set(id);
                return (context, new AnalyticsBench.Factory(connection, context, postgres: false));
            }
            var (ours, other) = (Guid.NewGuid(), Guid.NewGuid());
            var (tenant, factory) = For(ours);
            await using (var db = factory.CreateDbContext()) await db.Database.MigrateAsync();
            var watch = Stopwatch.StartNew();
            await SeedAsync(For(other).Item2, other, messages);
            await SeedAsync(factory, ours, messages);
            log.WriteLine($"generated {messages:N0} messages in each of two workspaces in {watch.Elapsed.TotalSeconds:0.0} s");
            await using (var db = factory.CreateDbContext()) await QueryPlannerStatisticsJob.RefreshAsync(db, default);

            var inbox = new GetInbox(factory, tenant, Microsoft.Extensions.Options.Options.Create(new PipelineOptions()), TimeProvider.System);
            string[] queries = ["envio malaga", "refund jacket", "Canarias", "dañado", "contrase", "Customer 1234", "zzz nothing"];
            var (slowest, slowestName, slowestLike) = (0.0, "", 0.0);
            log.WriteLine("| query | full-text p95 ms | substring (before) p95 ms |");
            log.WriteLine("|---|---|---|");
            foreach (var text in queries)
            {
                var query = new GetInbox.Query(InboxFilter.All, text, 0, 30);
                var ms = await P95Async(async () => await inbox.HandleAsync(query, default));
                var like = await P95Async(async () => await SubstringAsync(factory, text));
                log.WriteLine($"| {text} | {ms:0.0} | {like:0.0} |");
                if (ms > slowest) (slowest, slowestName, slowestLike) = (ms, text, like);
            }
            return
            [
                new BenchResult($"inbox search: {messages:N0} messages of one workspace (two in the database)", $"p95 {slowest:0.0} ms (\"{slowestName}\")",
                    $"substring search on the same query {slowestLike:0.0} ms", slowest / slowestLike, "p95 < 100 ms", slowest < 100,
                    "slowest of 7 queries (accents, two words, a prefix, a name, no hit); first page of the All tab with its counts"),
            ];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The search as it was before full-text: the conversations whose name, number or any message holds the text.</summary>
    private static async Task<int> SubstringAsync(IDbContextFactory<HitlDbContext> factory, string text)
    {
        await using var db = factory.CreateDbContext();
        var term = $"%{text}%";
        return await db.Conversations.Join(db.Contacts, c => c.ContactId, k => k.Id, (c, k) => new { c, k })
            .Where(x => EF.Functions.Like(x.k.DisplayName ?? "", term) || EF.Functions.Like(x.k.Address, term)
                || db.Messages.Any(m => m.ConversationId == x.c.Id && EF.Functions.Like(m.Text ?? "", term)))
            .OrderByDescending(x => x.c.LastActivityUtc).Take(30).CountAsync();
    }

    private static async Task<double> P95Async(Func<Task<object>> run)
    {
        await run();
        var times = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var watch = Stopwatch.StartNew();
            await run();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times[(int)Math.Ceiling(times.Count * 0.95) - 1];
    }

    private static async Task SeedAsync(IDbContextFactory<HitlDbContext> factory, Guid tenantId, int messages)
    {
        var now = DateTime.UtcNow;
        var channel = new Channel { TenantId = tenantId, Kind = ChannelKind.WhatsAppCloud, Name = "WhatsApp", CreatedUtc = now };
        await using (var db = factory.CreateDbContext())
        {
            db.Tenants.Add(new Tenant { Id = tenantId, Name = "Bench " + tenantId, CreatedUtc = now });
            db.Channels.Add(channel);
            await db.SaveChangesAsync();
        }
        const int PerConversation = 5, Batch = 500;
        var random = new Random(tenantId.GetHashCode());
        for (var start = 0; start < messages / PerConversation; start += Batch)
        {
            await using var db = factory.CreateDbContext();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(messages / PerConversation, start + Batch); i++)
            {
                var at = now.AddMinutes(-i * 7);
                var contact = new Contact { TenantId = tenantId, ChannelId = channel.Id, Address = $"346{i:D9}", DisplayName = $"Customer {i}", LastInboundUtc = at, CreatedUtc = at };
                var conversation = new Conversation { TenantId = tenantId, ChannelId = channel.Id, ContactId = contact.Id, CreatedUtc = at, LastActivityUtc = at };
                db.AddRange(contact, conversation);
                for (var j = 0; j < PerConversation; j++)
                {
                    db.Add(new Message
                    {
                        TenantId = tenantId, ChannelId = channel.Id, ConversationId = conversation.Id,
                        Direction = j % 2 == 0 ? MessageDirection.Inbound : MessageDirection.Outbound, Author = j % 2 == 0 ? MessageAuthor.Customer : MessageAuthor.Agent,
                        Text = $"{Phrases[random.Next(Phrases.Length)]} (ref {random.Next(1_000_000)})", SentUtc = at.AddSeconds(j), CreatedUtc = at.AddSeconds(j),
                    });
                }
            }
            await db.SaveChangesAsync();
        }
    }
}
