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
        builder.Services.AddApiCors();
        // Kestrel binds endpoints from its section but not limits: request body and header limits come from Kestrel:Limits.
        builder.Services.AddOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>()
            .Configure<IConfiguration>((o, config) => config.GetSection("Kestrel:Limits").Bind(o.Limits));
        return builder;
    }
}
