using HitlConsole.Infrastructure.Data;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Features.Setup;

/// <summary>Remembers, once true, that a workspace exists, so the first-run gate costs nothing afterwards.</summary>
public sealed class SetupState
{
    private volatile bool _hasWorkspace;
    internal readonly SemaphoreSlim CreateLock = new(1, 1);

    public async Task<bool> HasWorkspaceAsync(IDbContextFactory<HitlDbContext> factory, CancellationToken ct)
    {
        if (_hasWorkspace) return true;
        await using var db = await factory.CreateDbContextAsync(ct);
        return _hasWorkspace = await db.Tenants.AnyAsync(ct);
    }

    internal void MarkCreated() => _hasWorkspace = true;
}

public static class SetupRegistration
{
    public const string Path = "/setup";

    public static WebApplicationBuilder AddSetup(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SetupState>();
        builder.Services.AddScoped<CreateFirstWorkspace>();
        return builder;
    }

    /// <summary>While the database has no workspace, every page leads to the first-run page (and it to nothing else).</summary>
    public static IApplicationBuilder UseSetupGate(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var page = http.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type;
            if (page is not null)
            {
                var state = http.RequestServices.GetRequiredService<SetupState>();
                var factory = http.RequestServices.GetRequiredService<IDbContextFactory<HitlDbContext>>();
                var isSetupPage = page == typeof(SetupPage);
                var hasWorkspace = await state.HasWorkspaceAsync(factory, http.RequestAborted);
                if (!hasWorkspace && !isSetupPage) { http.Response.Redirect(Path); return; }
                if (hasWorkspace && isSetupPage) { http.Response.Redirect("/"); return; }
            }
            await next(http);
        });
}
