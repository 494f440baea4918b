using System.Text.Json;
using HitlConsole.Domain;
using HitlConsole.Features.Channels.WhatsApp;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Channels.Templates;

/// <summary>
/// Copies the workspace's message templates from each WhatsApp business account (all pages): new ones are added, changed
/// ones updated (a template paused since the last sync shows as paused), vanished ones removed. A failed call keeps what
/// was there.
/// </summary>
public sealed partial class SyncTemplates(
    IDbContextFactory<HitlDbContext> factory, WhatsAppGraphClient graph, ChannelSecrets secrets, TenantContext tenant, TimeProvider clock,
    ILogger<SyncTemplates> logger)
{
    public abstract record Result
    {
        public sealed record Synced(int Templates, int Removed) : Result;
        /// <summary>No active WhatsApp channel with a business account id and an access token.</summary>
        public sealed record NotConfigured : Result;
        public sealed record Failed(string Code, string Title) : Result;
    }

    public async Task<Result> HandleAsync(CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var channels = await db.Channels.AsNoTracking()
            .Where(c => c.Kind == ChannelKind.WhatsAppCloud && c.Active && c.BusinessAccountId != null && c.AccessTokenProtected != null)
            .ToListAsync(ct);
        if (channels.Count == 0) return new Result.NotConfigured();
        int count = 0, removed = 0;
        foreach (var channel in channels)
        {
            var list = await graph.ListTemplatesAsync(channel.GraphBaseUrl!, channel.GraphVersion ?? "v21.0", channel.BusinessAccountId!,
                secrets.Unprotect(channel.AccessTokenProtected)!, ct);
            if (list.Error is { } error)
            {
                LogFailed(channel.Id, error.Code);
                return new Result.Failed(error.Code, error.Title);
            }
            var now = clock.GetUtcNow().UtcDateTime;
            var stored = await db.MessageTemplates.Where(t => t.ChannelId == channel.Id).ToListAsync(ct);
            var byKey = stored.ToDictionary(t => (t.Name, t.Language));
            var seen = new HashSet<(string, string)>();
            foreach (var t in list.Templates)
            {
                if (!seen.Add((t.Name, t.Language))) continue;
                var parsed = TemplateSlots.Parse(t.Components);
                if (!byKey.TryGetValue((t.Name, t.Language), out var row))
                {
                    row = new MessageTemplate { ChannelId = channel.Id, Name = t.Name, Language = t.Language, Status = t.Status };
                    db.MessageTemplates.Add(row);
                }
                row.ExternalId = Cut(t.Id, 64);
                row.Category = Cut(t.Category, 30);
                row.Status = Cut(t.Status, 30)!;
                row.HeaderText = Cut(parsed.Header, 200);
                row.BodyText = Cut(parsed.Body, 2000);
                row.FooterText = Cut(parsed.Footer, 200);
                row.Slots = TemplateSlots.Serialize(parsed.Slots);
                row.Components = t.Components.ValueKind == JsonValueKind.Undefined ? "[]" : t.Components.GetRawText();
                row.SyncedUtc = now;
            }
            foreach (var gone in stored.Where(s => !seen.Contains((s.Name, s.Language))))
            {
                db.MessageTemplates.Remove(gone);
                removed++;
            }
            count += seen.Count;
            db.Record(tenant.UserId, "whatsapp.templates-synced", nameof(Channel), channel.Id.ToString(), null, new { Templates = seen.Count }, now);
            await db.SaveChangesAsync(ct);
            LogSynced(channel.Id, seen.Count);
        }
        return new Result.Synced(count, removed);
    }

    private static string? Cut(string? s, int max) => s is null || s.Length <= max ? s : s[..max];

    [LoggerMessage(Level = LogLevel.Information, Message = "WhatsApp channel {ChannelId}: {Count} message templates synced")]
    private partial void LogSynced(Guid channelId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp channel {ChannelId}: template sync refused with code {Code}")]
    private partial void LogFailed(Guid channelId, string code);
}

/// <summary>Recurring: every workspace with a WhatsApp business account gets its templates refreshed.</summary>
public sealed partial class SyncTemplatesJob(IServiceScopeFactory scopes, IDbContextFactory<HitlDbContext> factory, ILogger<SyncTemplatesJob> logger)
{
    public const string RecurringId = "whatsapp-sync-templates";

    public async Task RunAsync(CancellationToken ct)
    {
        List<Guid> tenants;
        await using (var db = await factory.CreateDbContextAsync(ct))
            tenants = await db.Channels.IgnoreQueryFilters()
                .Where(c => c.Kind == ChannelKind.WhatsAppCloud && c.Active && c.BusinessAccountId != null && c.AccessTokenProtected != null)
                .Select(c => c.TenantId).Distinct().ToListAsync(ct);
        foreach (var tenantId in tenants)
        {
            try
            {
                await using var scope = scopes.CreateTenantScope(tenantId);
                await scope.ServiceProvider.GetRequiredService<SyncTemplates>().HandleAsync(ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogWorkspaceFailed(ex, tenantId); // one workspace's fault does not stop the others
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Template sync failed for workspace {TenantId}")]
    private partial void LogWorkspaceFailed(Exception ex, Guid tenantId);
}
