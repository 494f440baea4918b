using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace HitlConsole.Infrastructure.Tenancy;

public static class TenancyExtensions
{
    public static IServiceCollection AddTenancy(this IServiceCollection services)
    {
        services.AddScoped<TenantContext>();
        services.AddScoped<TenantScopeFactory>();
        services.AddScoped<CircuitHandler, TenantCircuitHandler>();
        return services;
    }

    /// <summary>Sets the request's tenant from the signed-in user; runs after authentication.</summary>
    public static IApplicationBuilder UseTenancy(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.RequestServices.GetRequiredService<TenantContext>().SetFrom(context.User);
            return next(context);
        });

    /// <summary>A circuit has its own DI scope: give it the tenant of the user who opened it.</summary>
    private sealed class TenantCircuitHandler(TenantContext tenant, AuthenticationStateProvider auth) : CircuitHandler
    {
        public override async Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            var state = await auth.GetAuthenticationStateAsync();
            tenant.SetFrom(state.User);
        }
    }
}
