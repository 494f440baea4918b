using HitlConsole.Infrastructure.Embeddings;
using HitlConsole.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HitlConsole.Tests.Support;

/// <summary>The real app on a real database; settings go in as host settings so Program sees them.</summary>
public sealed class HitlAppFactory(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null, bool ownsDatabase = true)
    : WebApplicationFactory<Program>
{
    public const string DemoPassword = "DemoPass2026x";
    public const string PhoneNumberId = "100000000000001";
    public const string AppSecret = "test-app-secret";
    public const string VerifyToken = "test-verify-token";
    public const string SimulatorKey = "test-simulator-key";
    /// <summary>The demo knowledge: the Bitext training split (3,553) plus 238 Spanish and 195 English entries written for the demo.</summary>
    public const int DemoKnowledgeEntries = 4077;

    /// <summary>The demo's Spanish entries (<c>eval/data/demo-es.csv</c>).</summary>
    public const int DemoSpanishEntries = 291;

    public TestDatabase Database { get; } = database;

    /// <summary>Replaces services for one test (fakes of outside systems only; never our own database).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }
    public bool ValidateScopes { get; init; }

    /// <summary>The app on a copy of a database its first start prepared (<see cref="DatabaseTemplates"/>).</summary>
    public static async Task<HitlAppFactory> CreateAsync(DatabaseProvider provider = DatabaseProvider.Sqlite,
        IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) =>
        new(await DatabaseTemplates.CopyAsync(provider, settings), settings) { TestServices = services };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseStaticWebAssets(); // serve wwwroot/ and package assets from their sources, as `dotnet run` does
        // What `dotnet run` (Development) checks at start: no singleton may hold a scoped service. Off by default
        // because tests read the database through the root provider.
        if (ValidateScopes) builder.UseDefaultServiceProvider(o => { o.ValidateScopes = true; o.ValidateOnBuild = true; });
        var defaults = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Database.Provider.ToString(),
            [$"ConnectionStrings:{Database.Provider}"] = Database.ConnectionString,
            ["Demo:Enabled"] = "true",
            ["Demo:Password"] = DemoPassword,
            ["Demo:WhatsApp:PhoneNumberId"] = PhoneNumberId,
            ["Demo:WhatsApp:AppSecret"] = AppSecret,
            ["Demo:WhatsApp:VerifyToken"] = VerifyToken,
            ["Demo:WhatsApp:AccessToken"] = "test-access-token",
            ["Demo:SimulatorApiKey"] = SimulatorKey,
            ["Pipeline:SweepInterval"] = "00:00:00.500",
            // A test's first request comes at once: the models load while the app starts, as they did before the production
            // delay (the first pages after a restart come first), and the embedding sweep that knowledge tests wait for runs.
            ["Embeddings:WarmUpDelay"] = "00:00:00",
            // Hundreds of apps start in a run and most never search: none builds the demo's indexes ahead (KnowledgeTextIndexTests does).
            ["Embeddings:WarmWorkspaces"] = "0",
            ["Hangfire:ServerEnabled"] = "false",
            ["Hangfire:PollInterval"] = "00:00:00.200",
            ["Logging:Format"] = "Plain",
            // Tests sign in far more often than a person; the limit itself is tested with a low value (SecurityTests).
            ["RateLimits:LoginPerMinute"] = "10000",
            ["Serilog:MinimumLevel:Default"] = "Error",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) defaults[key] = value;
        foreach (var (key, value) in defaults) builder.UseSetting(key, value);
        // One embedding model per test process, as one per app in production: loading it is the costly part.
        builder.ConfigureServices(s => s.AddSingleton<ITextEmbedder>(SharedEmbedder));
        // A browser test ends with its pages' circuits still connected; Kestrel would wait the default 30 s for
        // them to close before the app stops. Nothing a test checks happens in that wait.
        builder.ConfigureServices(s => s.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2)));
        if (TestServices is not null) builder.ConfigureServices(TestServices);
    }

    public static readonly MiniLmEmbedder SharedEmbedder = new();

    // WebApplicationFactory finds the app's host by listening to process-wide hosting events; two
    // factories building at the same instant (parallel test classes) can pick up each other's
    // settings. Building one host at a time keeps every test on its own database and options.
    private static readonly object HostGate = new();

    protected override IHost CreateHost(IHostBuilder builder)
    {
        lock (HostGate) return base.CreateHost(builder);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, HitlAppFactory> Clients = new();

    /// <summary>Remembers which app a client talks to, so test helpers can wait for that app's background steps.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        Clients.AddOrUpdate(client, this);
    }

    /// <summary>The app <paramref name="client"/> was created by (<see cref="WebApplicationFactory{T}.CreateClient()"/>), if any.</summary>
    public static HitlAppFactory? Of(HttpClient client) => Clients.TryGetValue(client, out var app) ? app : null;

    /// <summary>Starts Kestrel on a free loopback port (for the browser) and returns its address.</summary>
    public string StartKestrel()
    {
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!;
        return addresses.Addresses.First().Replace("[::]", "127.0.0.1").Replace("localhost", "127.0.0.1");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (ownsDatabase) await Database.DisposeAsync();
    }
}
