using HitlConsole.Features.Inbox;
using MudBlazor.Services;

namespace HitlConsole.Components;

/// <summary>Razor components, MudBlazor and the circuit's heartbeats.</summary>
public static class UiRegistration
{
    public static WebApplicationBuilder AddUi(this WebApplicationBuilder builder)
    {
        // Heartbeats are set, not left to defaults: a browser that stops answering is dropped after ClientTimeoutInterval,
        // and with it its presence and draft leases (ReviewCircuitHandler).
        var review = builder.Configuration.GetSection(ReviewOptions.Section).Get<ReviewOptions>() ?? new ReviewOptions();
        builder.Services.AddRazorComponents()
            .AddInteractiveServerComponents(o => o.DisconnectedCircuitRetentionPeriod = review.DisconnectedCircuitRetention)
            .AddHubOptions(o =>
            {
                o.KeepAliveInterval = review.KeepAliveInterval;
                o.ClientTimeoutInterval = review.ClientTimeoutInterval;
            });
        builder.Services.AddMudServices(o =>
        {
            // Bottom left keeps confirmations clear of the app bar and of the page's actions, which sit on the right: at bottom
            // right "Reply sent" covered the "save as knowledge" offer that appears with it.
            o.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomLeft;
            o.SnackbarConfiguration.VisibleStateDuration = 4000;
        });
        builder.Services.AddTransient<MudBlazor.MudLocalizer, HitlMudLocalizer>();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}
