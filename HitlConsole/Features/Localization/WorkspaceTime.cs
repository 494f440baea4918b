using System.Globalization;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Localization;

/// <summary>
/// Times on screen are in the workspace's time zone, the one analytics days and the inbox use — never the server's,
/// which in a container is UTC and would show an audit entry two hours off the conversation it records.
/// Scoped: read once per circuit.
/// </summary>
public sealed class WorkspaceTime(IDbContextFactory<HitlDbContext> factory, TenantContext tenant)
{
    private TimeZoneInfo? _zone;

    /// <summary>The zone, read once per scope (a circuit): what a screen formats its times with.</summary>
    public async Task<TimeZoneInfo> ZoneAsync(CancellationToken ct = default) => _zone ?? await ReadAsync(ct);

    /// <summary>The zone as the workspace's setting names it now; for day boundaries that must follow a change at once.</summary>
    public async Task<TimeZoneInfo> ReadAsync(CancellationToken ct = default)
    {
        string? id = null;
        if (tenant.TenantId is { } tenantId)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            id = await db.Tenants.Where(t => t.Id == tenantId).Select(t => t.TimeZone).SingleOrDefaultAsync(ct);
        }
        return _zone = Resolve(id);
    }

    /// <summary>The zone a workspace's setting names; UTC when it names none this server knows (a zone database differs by OS).</summary>
    public static TimeZoneInfo Resolve(string? id) =>
        id is not null && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>Only after <see cref="ZoneAsync"/> was awaited (UTC before).</summary>
    public string Format(DateTime utc, string format = "g") =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), _zone ?? TimeZoneInfo.Utc).ToString(format, CultureInfo.CurrentCulture);
}
