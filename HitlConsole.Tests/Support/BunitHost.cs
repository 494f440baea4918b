using System.Globalization;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace HitlConsole.Tests.Support;

/// <summary>
/// A bunit context with MudBlazor and the app's real localization. Disposed asynchronously
/// (MudBlazor services are async-disposable), so tests hold it instead of deriving from it.
/// </summary>
public abstract class BunitHost : IAsyncLifetime
{
    protected BunitContext Ctx { get; } = new();
    private CultureInfo? _previousUi, _previous;
    private bool _popoverRendered;

    protected BunitHost()
    {
        Ctx.Services.AddMudServices();
        Ctx.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Ctx.JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private RendererInfo _rendererInfo = new("Static", isInteractive: false);

    /// <summary>Renders as a live circuit would (components that only subscribe or claim when interactive).</summary>
    protected void UseInteractive() => _rendererInfo = new RendererInfo("Server", isInteractive: true);

    /// <summary>Renders <typeparamref name="T"/> after the popover host that MudBlazor menus need.</summary>
    protected IRenderedComponent<T> Render<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null) where T : IComponent
    {
        if (!_popoverRendered)
        {
            Ctx.Renderer.SetRendererInfo(_rendererInfo); // after services are registered: touching the renderer builds the provider
            Ctx.Render<MudPopoverProvider>();
            _popoverRendered = true;
        }
        return parameters is null ? Ctx.Render<T>() : Ctx.Render<T>(parameters);
    }

    protected void UseCulture(string name)
    {
        _previousUi ??= CultureInfo.CurrentUICulture;
        _previous ??= CultureInfo.CurrentCulture;
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo(name);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_previousUi is not null) CultureInfo.CurrentUICulture = _previousUi;
        if (_previous is not null) CultureInfo.CurrentCulture = _previous;
        await Ctx.DisposeAsync();
    }
}
