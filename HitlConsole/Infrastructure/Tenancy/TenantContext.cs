using System.Security.Claims;

namespace HitlConsole.Infrastructure.Tenancy;

/// <summary>
/// The tenant and user the current DI scope acts for: an HTTP request, a Blazor circuit or a job.
/// Unset means "no tenant": tenant-owned queries then return nothing.
/// </summary>
public sealed class TenantContext
{
    public const string TenantClaim = "hitl:tenant";

    public Guid? TenantId { get; private set; }
    public string? UserId { get; private set; }

    public void Set(Guid tenantId, string? userId = null)
    {
        if (TenantId is { } current && current != tenantId)
            throw new InvalidOperationException("A scope cannot switch to another tenant.");
        TenantId = tenantId;
        UserId = userId;
    }

    public void SetFrom(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true) return;
        if (Guid.TryParse(user.FindFirstValue(TenantClaim), out var tenantId))
            Set(tenantId, user.FindFirstValue(ClaimTypes.NameIdentifier));
    }
}
