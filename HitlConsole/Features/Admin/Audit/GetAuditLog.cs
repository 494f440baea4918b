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

    /// <summary>
    /// Who or what a page of the log is about, by name, keyed by entity id: a person (disabled, given a role) by their name or
    /// e-mail, a draft or a conversation by its customer, a team by its name. The workspace's own rows only; a deleted team or
    /// user has none, and the page then shows the kind alone.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> SubjectsAsync(IEnumerable<Row> rows, CancellationToken ct)
    {
        var list = rows.Where(r => r.EntityId is not null).ToList();
        Guid[] Ids(string type) => list.Where(r => r.EntityType == type).Select(r => Guid.TryParse(r.EntityId, out var id) ? id : (Guid?)null)
            .OfType<Guid>().Distinct().ToArray();
        var users = list.Where(r => r.EntityType == nameof(AppUser)).Select(r => r.EntityId!).Distinct().ToArray();
        var (drafts, conversations, teams) = (Ids(nameof(Draft)), Ids(nameof(Conversation)), Ids(nameof(Team)));
        var names = new Dictionary<string, string>();
        if (users.Length + drafts.Length + conversations.Length + teams.Length == 0) return names;
        await using var db = await factory.CreateDbContextAsync(ct);
        if (users.Length > 0)
            foreach (var u in await db.WorkspaceMembers.Where(m => users.Contains(m.UserId)).Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { u.Id, u.DisplayName, u.Email })
                         .ToListAsync(ct))
                names[u.Id] = string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? u.Id : $"{u.DisplayName} ({u.Email})";
        if (drafts.Length > 0)
            foreach (var d in await (from d in db.Drafts where drafts.Contains(d.Id)
                                     join c in db.Conversations on d.ConversationId equals c.Id
                                     join k in db.Contacts on c.ContactId equals k.Id
                                     select new { d.Id, Name = k.DisplayName ?? k.Address }).ToListAsync(ct))
                names[d.Id.ToString()] = d.Name;
        if (conversations.Length > 0)
            foreach (var c in await (from c in db.Conversations where conversations.Contains(c.Id)
                                     join k in db.Contacts on c.ContactId equals k.Id
                                     select new { c.Id, Name = k.DisplayName ?? k.Address }).ToListAsync(ct))
                names[c.Id.ToString()] = c.Name;
        if (teams.Length > 0)
            foreach (var t in await db.Teams.Where(t => teams.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToListAsync(ct))
                names[t.Id.ToString()] = t.Name;
        return names;
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
            // A person is found by their name or e-mail too ("Lucía", "nora@"): what was done to them is recorded by their id.
            var people = db.Users.Where(u => u.DisplayName.Contains(term) || (u.Email != null && u.Email.Contains(term))).Select(u => u.Id);
            events = events.Where(a => a.EntityId == term || (a.After != null && a.After.Contains(term)) || (a.Before != null && a.Before.Contains(term))
                || (a.EntityType == nameof(AppUser) && people.Contains(a.EntityId!)));
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
