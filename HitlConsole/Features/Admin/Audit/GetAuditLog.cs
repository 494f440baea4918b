using HitlConsole.Infrastructure.Exports;
using System.Globalization;
using CsvHelper;
using HitlConsole.Domain;
using HitlConsole.Features.Knowledge;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Admin.Audit;

/// <summary>The workspace's audit trail for Admins: filtered and paged in the database, newest first, exportable as CSV.</summary>
public sealed class GetAuditLog(IDbContextFactory<HitlDbContext> factory)
{
    /// <summary><paramref name="Action"/> matches a prefix ("draft." finds every draft decision).</summary>
    public sealed record Filter(string? Action = null, string? UserId = null, string? EntityType = null, DateTime? FromUtc = null, DateTime? ToUtc = null,
        string? Search = null);

    /// <param name="Actor">The person's e-mail (what the export identifies them by).</param>
    /// <param name="ActorName">The person's display name, what the page shows; null when they have none.</param>
    public sealed record Row(long Id, DateTime AtUtc, string Action, string? ActorUserId, string? Actor, string EntityType, string? EntityId,
        string? Before, string? After, string? ActorName = null);

    public sealed record Page(IReadOnlyList<Row> Rows, int Total);

    public async Task<Page> HandleAsync(Filter filter, int page, int pageSize, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var query = Query(db, filter);
        var total = await query.CountAsync(ct);
        var rows = await query.Skip(Math.Max(0, page) * pageSize).Take(Math.Clamp(pageSize, 1, 200)).ToListAsync(ct);
        return new Page(rows, total);
    }

    /// <summary>The longest excerpt of a message the log shows in place of its id.</summary>
    public const int MessageExcerpt = 160;

    /// <summary>
    /// The text of the messages a page of the log names by id (a reply an agent sent), cut to <see cref="MessageExcerpt"/>
    /// characters; the workspace's own messages only (the context's tenant filter).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> MessageTextsAsync(IEnumerable<Row> rows, CancellationToken ct)
    {
        var ids = rows.SelectMany(r => new[] { r.Before, r.After })
            .Select(json => json?.Contains("\"MessageId\"", StringComparison.Ordinal) == true ? AuditText.Fields(json).GetValueOrDefault("MessageId") : null)
            .Select(id => Guid.TryParse(id, out var guid) ? guid : (Guid?)null).OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0) return new Dictionary<string, string>();
        await using var db = await factory.CreateDbContextAsync(ct);
        var texts = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.Id)).Select(m => new { m.Id, Text = m.Text ?? m.Caption }).ToListAsync(ct);
        return texts.Where(t => !string.IsNullOrWhiteSpace(t.Text)).ToDictionary(t => t.Id.ToString(),
            t => t.Text!.Length <= MessageExcerpt ? t.Text : t.Text[..MessageExcerpt].TrimEnd() + "…");
    }

    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.AuditEvents.Select(a => a.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
    }

    /// <summary>Every matching row, streamed to CSV (formula-safe cells, invariant dates) without loading the log in memory.</summary>
    public async Task WriteCsvAsync(Filter filter, Stream output, CancellationToken ct,
        Microsoft.Extensions.Localization.IStringLocalizer? l = null)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        await using var csv = await ExportFiles.CsvAsync(output, ct);
        string[] header = ["at_utc", "action", "actor", "actor_id", "entity_type", "entity_id", "before", "after"];
        csv.WriteRecord(l is null ? header : ExportFiles.Localise(l, header));
        await foreach (var r in Query(db, filter).AsAsyncEnumerable().WithCancellation(ct))
        {
            await csv.WriteRecordAsync([r.AtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                .. new[] { r.Action, r.Actor, r.ActorUserId, r.EntityType, r.EntityId, r.Before, r.After }.Select(KnowledgeExport.Neutralise)], ct);
        }
        await csv.FlushAsync(ct);
    }

    /// <summary>Newest first; ordered before the projection so both providers can translate it.</summary>
    private static IQueryable<Row> Query(HitlDbContext db, Filter f)
    {
        var events = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(f.Action)) events = events.Where(a => a.Action.StartsWith(f.Action));
        if (!string.IsNullOrWhiteSpace(f.UserId)) events = events.Where(a => a.ActorUserId == f.UserId);
        if (!string.IsNullOrWhiteSpace(f.EntityType)) events = events.Where(a => a.EntityType == f.EntityType);
        if (f.FromUtc is { } from) events = events.Where(a => a.AtUtc >= from);
        if (f.ToUtc is { } to) events = events.Where(a => a.AtUtc < to);
        if (!string.IsNullOrWhiteSpace(f.Search))
        {
            var term = f.Search.Trim();
            events = events.Where(a => a.EntityId == term || (a.After != null && a.After.Contains(term)) || (a.Before != null && a.Before.Contains(term)));
        }
        return from a in events
               join u in db.Users on a.ActorUserId equals u.Id into actors
               from u in actors.DefaultIfEmpty()
               orderby a.Id descending
               select new Row(a.Id, a.AtUtc, a.Action, a.ActorUserId, u != null ? u.Email : null, a.EntityType, a.EntityId, a.Before, a.After,
                   u != null && u.DisplayName != "" ? u.DisplayName : null);
    }

    public static IEndpointRouteBuilder MapAuditExport(IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/audit/export", async (HttpContext http, GetAuditLog log, TimeProvider clock, string? action, string? user, string? entity,
                DateTime? from, DateTime? to, string? search, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l, CancellationToken ct) =>
            {
                var stamp = clock.GetUtcNow().ToString("yyyyMMdd-HHmm", CultureInfo.InvariantCulture);
                http.Response.ContentType = ExportFiles.CsvContentType;
                http.Response.Headers.ContentDisposition = $"attachment; filename=\"audit-{stamp}.csv\"";
                await log.WriteCsvAsync(new Filter(action, user, entity, from?.ToUniversalTime(), to?.ToUniversalTime(), search), http.Response.Body, ct, l);
            })
            .RequireAuthorization(p => p.RequireRole(Roles.Admin));
        return app;
    }
}
