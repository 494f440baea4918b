using HitlConsole.Features.Admin.Audit;
using HitlConsole.Features.Admin.Users;

namespace HitlConsole.Features.Admin;

public static class AdminRegistration
{
    public static WebApplicationBuilder AddAdmin(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddScoped<ListUsers>();
        services.AddScoped<ManageUsers>();
        services.AddScoped<GetAuditLog>();
        return builder;
    }

    public static WebApplication MapAdminEndpoints(this WebApplication app)
    {
        GetAuditLog.MapAuditExport(app);
        return app;
    }
}
