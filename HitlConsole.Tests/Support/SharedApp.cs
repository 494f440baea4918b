namespace HitlConsole.Tests.Support;

/// <summary>
/// One app (SQLite, demo workspace) for every test of a class, for classes whose tests only read, or write only what
/// each of them creates and checks. Starting an app costs about a second of both cores; a class of twenty such tests
/// spent most of its time starting apps.
/// </summary>
public sealed class SharedApp : IAsyncLifetime
{
    public HitlAppFactory App { get; private set; } = null!;

    public async Task InitializeAsync() => App = await HitlAppFactory.CreateAsync();
    public async Task DisposeAsync() => await App.DisposeAsync();
}
