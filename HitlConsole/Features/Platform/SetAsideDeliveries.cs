using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Platform;

/// <summary>
/// The WhatsApp deliveries <see cref="WebhookReader"/> set aside after failing to read them <see cref="WebhookReader.MaxAttempts"/>
/// times (ADR 0025). Meta had its 200 for each, so nobody else will send them again: the platform operator sees them, and
/// once the cause is mended gives them back to the reader, or discards them. Either is recorded in the platform audit under
/// the workspaces whose channels signed the delivery. The body is not shown: it holds customers' messages.
/// </summary>
public sealed partial class SetAsideDeliveries(
    DeliveryLogDatabase database, WebhookLog log, WhatsAppChannelDirectory channels, IDbContextFactory<HitlDbContext> factory, TimeProvider clock,
    ILogger<SetAsideDeliveries> logger)
{
    /// <summary>Rows shown at most; the gauge <c>hitl_webhook_deliveries{state="set_aside"}</c> counts them all.</summary>
    public const int Shown = 200;

    /// <param name="Messages">Messages in the body, or null when it does not parse.</param>
    public sealed record Row(long Id, DateTime ReceivedUtc, DateTime SetAsideUtc, int Attempts, int Bytes, IReadOnlyList<string> Workspaces,
        int? Messages, int? Statuses);

    public async Task<(IReadOnlyList<Row> Rows, int Total)> ListAsync(CancellationToken ct)
    {
        await using var db = await database.OpenAsync(ct);
        var setAside = db.Deliveries.AsNoTracking().Where(d => d.GaveUpUtc != null);
        var total = await setAside.CountAsync(ct);
        var rows = await setAside.OrderBy(d => d.Id).Take(Shown).ToListAsync(ct);
        var workspaces = await WorkspacesAsync(ct);
        return (rows.Select(d =>
        {
            var (messages, statuses) = Count(d);
            return new Row(d.Id, d.ReceivedUtc, d.GaveUpUtc!.Value, d.Attempts, d.Body.Length,
                d.SigningChannels().Select(c => workspaces.GetValueOrDefault(c)?.Name).OfType<string>().Distinct().Order().ToList(), messages, statuses);
        }).ToList(), total);
    }

    /// <summary>The reader reads them again at once, with a fresh count of attempts.</summary>
    /// <returns>How many were given back (others may have been given back or discarded meanwhile).</returns>
    public async Task<int> ReadAgainAsync(IReadOnlyCollection<long> ids, PlatformActor actor, CancellationToken ct)
    {
        var changed = await ChangeAsync(ids, actor, "delivery.read-again",
            q => q.ExecuteUpdateAsync(s => s.SetProperty(d => d.GaveUpUtc, (DateTime?)null).SetProperty(d => d.Attempts, 0), ct), ct);
        if (changed > 0) log.Wake();
        return changed;
    }

    /// <returns>How many were removed.</returns>
    public Task<int> DiscardAsync(IReadOnlyCollection<long> ids, PlatformActor actor, CancellationToken ct) =>
        ChangeAsync(ids, actor, "delivery.discarded", q => q.ExecuteDeleteAsync(ct), ct);

    private async Task<int> ChangeAsync(IReadOnlyCollection<long> ids, PlatformActor actor, string action,
        Func<IQueryable<WebhookDelivery>, Task<int>> change, CancellationToken ct)
    {
        if (ids.Count == 0) return 0;
        await using var db = await database.OpenAsync(ct);
        // Only deliveries still set aside: one the reader is reading again, or another operator already discarded, is left alone.
        var target = db.Deliveries.Where(d => ids.Contains(d.Id) && d.GaveUpUtc != null);
        var rows = await target.AsNoTracking().Select(d => new WebhookDelivery { Id = d.Id, SignedBy = d.SignedBy, ReceivedUtc = d.ReceivedUtc }).ToListAsync(ct);
        if (rows.Count == 0) return 0;
        var found = rows.Select(r => r.Id).ToList();
        int changed;
        using (await SqliteWriteGate.EnterAsync(db.Database, ct))
            changed = await change(db.Deliveries.Where(d => found.Contains(d.Id) && d.GaveUpUtc != null));
        await RecordAsync(actor, action, rows, ct);
        LogChanged(action, changed, actor.UserId);
        return changed;
    }

    /// <summary>One audit entry per workspace whose channel signed any of the deliveries (or none, named "—", if no channel is known).</summary>
    private async Task RecordAsync(PlatformActor actor, string action, IReadOnlyList<WebhookDelivery> rows, CancellationToken ct)
    {
        var workspaces = await WorkspacesAsync(ct);
        var byWorkspace = rows.GroupBy(r => r.SigningChannels().Select(c => workspaces.GetValueOrDefault(c)).FirstOrDefault(w => w is not null)
            ?? new Workspace(Guid.Empty, "—"));
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var group in byWorkspace)
        {
            db.PlatformAuditEvents.Add(new PlatformAuditEvent
            {
                ActorUserId = actor.UserId, ActorEmail = actor.Email, Action = action, WorkspaceId = group.Key.Id,
                WorkspaceName = group.Key.Name, AtUtc = now,
                Detail = JsonSerializer.Serialize(new { Deliveries = group.Select(r => r.Id).ToList(), Received = group.Min(r => r.ReceivedUtc) }),
            });
        }
        await db.SaveChangesAsync(ct);
    }

    private sealed record Workspace(Guid Id, string Name);

    /// <summary>Every known WhatsApp channel's workspace, by channel id.</summary>
    private async Task<Dictionary<Guid, Workspace>> WorkspacesAsync(CancellationToken ct)
    {
        var known = await channels.GetAsync(ct);
        await using var db = await factory.CreateDbContextAsync(ct);
        var names = await db.Tenants.ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        return known.Where(c => names.ContainsKey(c.TenantId)).ToDictionary(c => c.ChannelId, c => new Workspace(c.TenantId, names[c.TenantId]));
    }

    private static (int?, int?) Count(WebhookDelivery d)
    {
        try
        {
            var parsed = WhatsAppPayload.Parse(d.Body, d.ReceivedUtc);
            return (parsed.Messages.Count, parsed.Statuses.Count);
        }
        catch (JsonException) { return (null, null); }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Set-aside WhatsApp deliveries: {Action} for {Count} by platform operator {UserId}")]
    private partial void LogChanged(string action, int count, string userId);
}
