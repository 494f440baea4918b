using HitlConsole.Tests.Support;

namespace HitlConsole.Tests.Browser;

/// <summary>A test class with its own app on real Kestrel (own database), optionally with the job server on.</summary>
public abstract class KestrelAppTest(BrowserFixture browser, bool jobsOn) : IAsyncLifetime
{
    protected BrowserFixture Browser { get; } = browser;
    protected HitlAppFactory App { get; private set; } = null!;
    protected string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        App = await HitlAppFactory.CreateAsync(settings: jobsOn
            ? new Dictionary<string, string?> { ["Hangfire:ServerEnabled"] = "true", ["Hangfire:PollInterval"] = "00:00:00.100" }
            : null);
        Url = App.StartKestrel();
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseContextsAsync();
        await App.DisposeAsync();
    }
}
