using HitlConsole.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;

namespace HitlConsole.Infrastructure.Security;

public static class SecurityRegistration
{
    public static WebApplicationBuilder AddSecurity(this WebApplicationBuilder builder)
    {
        // Keys live in the database so every instance can read cookies, antiforgery tokens and
        // encrypted secrets written by any other.
        builder.Services.AddDataProtection()
            .SetApplicationName("HitlConsole")
            .PersistKeysToDbContext<HitlDbContext>();
        builder.Services.AddHitlRateLimits();
        return builder;
    }
}
