using System.Diagnostics;
using HitlConsole.Domain;
using HitlConsole.Features.Analytics;
using HitlConsole.Features.Inbox;
using HitlConsole.Features.Pipeline;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Bench;

/// <summary>
/// The review queue's list query at 2,000 waiting conversations (plus a history of answered ones) in a fresh SQLite database
/// with the product's schema: the first page, the last page, newest first and the blocked lane, through the product's
/// handler (median of 5 after a warm-up), against a bare COUNT(*) of the waiting drafts measured in the same run.
/// </summary>
public static class InboxBench
{
    public const int Waiting = 2000;

    public static async Task<List<BenchResult>> RunAsync(bool quick, TextWriter log)
    {
        var answered = quick ? 5_000 : 30_000;
        var folder = Directory.CreateTempSubdirectory("hitl-bench-inbox-").FullName;
        try
        {
            var tenant = new TenantContext();
            var factory = new AnalyticsBench.Factory($"Data Source={Path.Combine(folder, "inbox.db")}", tenant, postgres: false);
            await using (var db = factory.CreateDbContext()) await db.Database.MigrateAsync();
            var tenantId = Guid.NewGuid();
            tenant.Set(tenantId);
            var watch = Stopwatch.StartNew();
            await SeedAsync(factory, tenantId, answered);
            log.WriteLine($"generated {Waiting:N0} waiting and {answered:N0} answered conversations in {watch.Elapsed.TotalSeconds:0.0} s");
            // What the hourly statistics job does on a live database (without it, 250 ms a page at this size).
            await using (var db = factory.CreateDbContext()) await QueryPlannerStatisticsJob.RefreshAsync(db, default);

            var inbox = new GetInbox(factory, tenant, Microsoft.Extensions.Options.Options.Create(new PipelineOptions()), TimeProvider.System);
            var baseline = await AnalyticsBench.TimeAsync(async () =>
            {
                await using var db = factory.CreateDbContext();
                return await db.Drafts.CountAsync(d => d.State == DraftState.Pending);
            });
            var pages = (Waiting - Waiting / 40 + 29) / 30; // the review lane holds the pending ones; one in 40 is blocked
            var cases = new (string Name, GetInbox.Query Query)[]
            {
                ("first page, most urgent", new(InboxFilter.NeedsReview, null, 0, 30)),
                ("last page, most urgent", new(InboxFilter.NeedsReview, null, pages - 1, 30)),
                ("first page, newest first", new(InboxFilter.NeedsReview, null, 0, 30, Sort: InboxSort.Newest)),
                ("blocked lane", new(InboxFilter.Blocked, null, 0, 30)),
                ("all conversations, first page", new(InboxFilter.All, null, 0, 30)),
                ("all conversations, page 101 (past the waiting ones)", new(InboxFilter.All, null, 100, 30)),
            };
            var (slowest, slowestName, all) = (0.0, "", 0.0);
            foreach (var (name, query) in cases)
            {
                var ms = await AnalyticsBench.TimeAsync(async () => await inbox.HandleAsync(query, default));
                log.WriteLine($"  {name}: {ms:0.0} ms");
                if (query.Filter == InboxFilter.All) all = Math.Max(all, ms);
                else if (ms > slowest) (slowest, slowestName) = (ms, name);
            }
            var size = $"{Waiting:N0} waiting of {Waiting + answered:N0} conversations";
            return
            [
                new BenchResult($"review queue: lanes' list query, {size}", $"{slowest:0.0} ms ({slowestName})", $"COUNT(*) of waiting drafts {baseline:0.0} ms",
                    slowest / baseline, "each page < 100 ms", slowest < 100,
                    "slowest of: first and last page (most urgent), newest first, blocked lane; the lanes' badge counts included"),
                new BenchResult($"review queue: \"All\" tab, most urgent, {size}", $"{all:0.0} ms", $"COUNT(*) of waiting drafts {baseline:0.0} ms",
                    all / baseline, "< 100 ms", all < 100, "every conversation the workspace has, waiting ones first: slowest of the first page and page 101 (answered ones by activity)"),
            ];
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task SeedAsync(IDbContextFactory<HitlDbContext> factory, Guid tenantId, int answered)
    {
        var now = DateTime.UtcNow;
        await using (var db = factory.CreateDbContext())
        {
            db.Tenants.Add(new Tenant { Id = tenantId, Name = "Bench", CreatedUtc = now });
            db.Channels.Add(new Channel { TenantId = tenantId, Kind = ChannelKind.WhatsAppCloud, Name = "WhatsApp", CreatedUtc = now });
            await db.SaveChangesAsync();
        }
        Guid channel;
        await using (var db = factory.CreateDbContext()) channel = await db.Channels.Select(c => c.Id).FirstAsync();
        var total = Waiting + answered;
        const int Batch = 2000;
        for (var start = 0; start < total; start += Batch)
        {
            await using var db = factory.CreateDbContext();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = start; i < Math.Min(total, start + Batch); i++)
            {
                var waiting = i < Waiting;
                // Waiting ones arrived over the last 22 hours; answered ones over the last 60 days. One in 40 waiting drafts is blocked.
                var asked = waiting ? now.AddSeconds(-39 * i - 60) : now.AddMinutes(-(i - Waiting) * 2.5 - 60);
                var contact = new Contact { TenantId = tenantId, ChannelId = channel, Address = $"346{i:D9}", DisplayName = $"Customer {i}", LastInboundUtc = asked, CreatedUtc = asked };
                var conversation = new Conversation { TenantId = tenantId, ChannelId = channel, ContactId = contact.Id, CreatedUtc = asked, LastActivityUtc = asked };
                var message = new Message
                {
                    TenantId = tenantId, ChannelId = channel, ConversationId = conversation.Id, Direction = MessageDirection.Inbound, Author = MessageAuthor.Customer,
                    Text = "Where is my order?", ExternalId = $"wamid.bench.{i}", SentUtc = asked, CreatedUtc = asked, Language = "en",
                };
                var state = !waiting ? DraftState.Approved : i % 40 == 0 ? DraftState.Blocked : DraftState.Pending;
                db.AddRange(contact, conversation, message, new Draft
                {
                    TenantId = tenantId, ConversationId = conversation.Id, MessageId = message.Id, ChannelId = channel, Intent = "track_order", State = state,
                    Confidence = 70, Text = "Your order is on its way.", Quarter = AnalyticsTime.QuarterOf(asked), CreatedUtc = asked, UpdatedUtc = asked,
                });
            }
            await db.SaveChangesAsync();
        }
    }
}
