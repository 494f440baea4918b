using System.Text;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace HitlConsole.Features.Channels.WhatsApp;

/// <summary>
/// The active WhatsApp channels of every tenant with their decrypted webhook secrets, cached for a
/// short time: the webhook must check a signature before it may trust the body's phone number id.
/// </summary>
public sealed class WhatsAppChannelDirectory(IServiceScopeFactory scopes, IMemoryCache cache) : IWorkspaceCache
{
    public sealed record Entry(Guid ChannelId, Guid TenantId, string PhoneNumberId, byte[] AppSecret, string? VerifyToken);

    private const string Key = "whatsapp-channel-directory";

    public async Task<IReadOnlyList<Entry>> GetAsync(CancellationToken ct) =>
        (await cache.GetOrCreateAsync(Key, async e =>
        {
            e.AbsoluteExpirationRelativeToNow = TimeSpan.FromSeconds(30);
            await using var scope = scopes.CreateAsyncScope();
            var secrets = scope.ServiceProvider.GetRequiredService<ChannelSecrets>();
            await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync(ct);
            var rows = await db.Channels.IgnoreQueryFilters().AsNoTracking()
                .Where(c => c.Kind == ChannelKind.WhatsAppCloud && c.Active && c.PhoneNumberId != null && c.AppSecretProtected != null)
                .Select(c => new { c.Id, c.TenantId, c.PhoneNumberId, c.AppSecretProtected, c.VerifyTokenProtected })
                .ToListAsync(ct);
            return (IReadOnlyList<Entry>)rows.Select(r => new Entry(r.Id, r.TenantId, r.PhoneNumberId!,
                Encoding.UTF8.GetBytes(secrets.Unprotect(r.AppSecretProtected)!), secrets.Unprotect(r.VerifyTokenProtected))).ToList();
        }))!;

    /// <summary>Call after a channel's secrets change.</summary>
    public void Invalidate() => cache.Remove(Key);

    /// <summary>Every workspace's channels share one entry: a deleted workspace's secrets and phone numbers leave with it.</summary>
    public void Evict(Guid tenantId) => Invalidate();
}
