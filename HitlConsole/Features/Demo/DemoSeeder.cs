using HitlConsole.Features.Localization;
using HitlConsole.Features.AgentConfig;
using CsvHelper;
using HitlConsole.Domain;
using HitlConsole.Infrastructure.Embeddings;
using HitlConsole.Features.Channels;
using HitlConsole.Features.Knowledge;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using HitlConsole.Features.Channels.Settings;

namespace HitlConsole.Features.Demo;

/// <summary>Seeds the demo tenant, its users and knowledge on an empty database when Demo:Enabled.</summary>
internal sealed partial class DemoSeeder(
    IServiceScopeFactory scopes, IOptions<DemoOptions> options, TimeProvider clock, ILogger<DemoSeeder> logger)
{
    public async Task SeedIfEnabledAsync(CancellationToken ct)
    {
        var demo = options.Value;
        if (!demo.Enabled) return;

        await using var scope = scopes.CreateAsyncScope();
        var factory = scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>();
        Tenant? tenant;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            if (await db.Tenants.AnyAsync(t => t.Name != DemoOptions.TenantName, ct)) return; // a real workspace exists
            tenant = await db.Tenants.SingleOrDefaultAsync(t => t.Name == DemoOptions.TenantName, ct);
            if (tenant is null)
            {
                tenant = new Tenant { Name = DemoOptions.TenantName, CreatedUtc = clock.GetUtcNow().UtcDateTime, AgentsPublishKnowledge = demo.AgentsPublishKnowledge };
                db.Tenants.Add(tenant);
                await db.SaveChangesAsync(ct);
            }
        }

        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenant.Id);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        foreach (var (email, role, name) in DemoOptions.Users)
        {
            if (await users.FindByEmailAsync(email) is not null) continue;
            var user = new AppUser
            {
                UserName = email, Email = email, EmailConfirmed = true, DisplayName = name,
                TenantId = tenant.Id, CreatedUtc = clock.GetUtcNow().UtcDateTime,
                // As after a first-run setup, the workspace's Admin also runs the installation.
                IsPlatformOperator = role == Roles.Admin,
            };
            var created = await users.CreateAsync(user, demo.Password!);
            if (!created.Succeeded)
                throw new InvalidOperationException("Demo:Password is rejected by the password rules: " +
                    string.Join(" ", created.Errors.Select(e => e.Description)));
            await using var db = await factory.CreateDbContextAsync(ct);
            db.WorkspaceMembers.Add(new WorkspaceMember { TenantId = tenant.Id, UserId = user.Id, Role = role, CreatedUtc = user.CreatedUtc });
            await db.SaveChangesAsync(ct);
        }

        await SeedKnowledgeAsync(factory, ct);
        await SeedChannelsAsync(factory, scope.ServiceProvider.GetRequiredService<ChannelSecrets>(), ct);
        if ((await scope.ServiceProvider.GetRequiredService<GetLiveConfig>().HandleAsync(ct)) is { Number: null } defaults)
            await SeedConfigAsync(factory, scope.ServiceProvider.GetRequiredService<SaveAgentConfig>(), WithDemoVariables(defaults.Document), demo.HistoryDays, ct);
        bool firstRun;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            firstRun = !await db.Conversations.AnyAsync(ct);
            await new DemoHistory(clock).SeedAsync(db, tenant.Id, demo.HistoryDays, ct);
        }
        if (firstRun && demo.WaitingConversations > 0)
            await DemoQueue.SeedAsync(scope.ServiceProvider, demo.WaitingConversations, ct);
        LogDemoUsers(string.Join(", ", DemoOptions.Users.Select(u => u.Email)), demo.Password!);
    }

    /// <summary>The auto-send delay of the demo's first version; the second shortened it to the shipped default.</summary>
    private const int FirstAutoSendDelaySeconds = 60;

    /// <summary>
    /// The demo's configuration. With a history, it has one as well: a first version in force from before the history's
    /// first day (a longer auto-send delay) and the live one from later on (<see cref="DemoHistory.VersionsSince"/>), so the history's drafts carry the
    /// version that was live when they were made and analytics filtered by a version shows them.
    /// </summary>
    private async Task SeedConfigAsync(IDbContextFactory<HitlDbContext> factory, SaveAgentConfig save, AgentConfigDocument live, int historyDays,
        CancellationToken ct)
    {
        if (historyDays <= 0)
        {
            await save.HandleAsync(live, null, ConfigTexts.InitialComment, ct);
            return;
        }
        var first = live.Clone();
        first.Thresholds.AutoSendDelaySeconds = FirstAutoSendDelaySeconds;
        await save.HandleAsync(first, null, ConfigTexts.InitialComment, ct);
        await save.HandleAsync(live, 1, ConfigTexts.ShorterDelayComment, ct);

        var today = clock.GetUtcNow().UtcDateTime.Date;
        await using var db = await factory.CreateDbContextAsync(ct);
        foreach (var (number, since) in DemoHistory.VersionsSince(today, historyDays))
        {
            var key = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await db.ConfigVersions.Where(v => v.Number == number).ExecuteUpdateAsync(u => u.SetProperty(v => v.CreatedUtc, since), ct);
            await db.AuditEvents.Where(a => a.EntityType == nameof(ConfigVersion) && a.EntityId == key)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.AtUtc, since), ct);
        }
    }

    /// <summary>Made-up contact details, so demo drafts read as finished answers (<c>{{Customer Support Phone Number}}</c> filled in).</summary>
    internal static readonly IReadOnlyDictionary<string, (string En, string Es)> DemoVariables = new Dictionary<string, (string, string)>
    {
        ["Company Name"] = (DemoOptions.TenantName, DemoOptions.TenantName),
        // A domain reads naturally in every Bitext phrasing: "Visit our shop.example.com", "Log in to your shop.example.com account".
        ["Website Name"] = ("shop.example.com", "shop.example.com"),
        ["Website URL"] = ("https://shop.example.com", "https://shop.example.com/es"),
        ["Customer Support Phone Number"] = ("+1 555 0100", "+34 900 000 100"),
        ["Customer Support Email"] = ("support@shop.example.com", "soporte@shop.example.com"),
        ["Customer Support Availability"] = ("Monday to Friday, 9:00 to 18:00", "de lunes a viernes, de 9:00 a 18:00"),
        ["Live Chat"] = ("live chat", "chat en directo"),
    };

    private static AgentConfigDocument WithDemoVariables(AgentConfigDocument doc)
    {
        foreach (var variable in doc.Variables)
            if (DemoVariables.TryGetValue(variable.Name, out var value))
                (variable.Values["en"], variable.Values["es"]) = value;
        return doc;
    }

    private async Task SeedKnowledgeAsync(IDbContextFactory<HitlDbContext> factory, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        if (await db.KnowledgeEntries.AnyAsync(ct)) return;

        var assembly = typeof(DemoSeeder).Assembly;
        await using var stream = assembly.GetManifestResourceStream("HitlConsole.Demo.bitext-demo.csv")
            ?? throw new InvalidOperationException("The demo knowledge resource is missing from the build.");
        // Vectors computed once by `eval build-demo-data`, row for row; embedding 3,500 questions here would cost ~20 s of CPU.
        await using var vectorStream = assembly.GetManifestResourceStream("HitlConsole.Demo.bitext-demo.vectors")
            ?? throw new InvalidOperationException("The demo knowledge vectors are missing from the build.");
        var vectors = VectorCodec.ReadHalfFile(vectorStream);
        await using var csv = CsvReader.Create(stream, CsvReaderOptions.Default, leaveOpen: false);
        await csv.ReadHeaderAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var row = 0;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var entries = new List<KnowledgeEntry>();
        while (await csv.ReadAsync(ct))
        {
            string question = csv.GetString("question"), answer = csv.GetString("answer");
            entries.Add(new KnowledgeEntry
            {
                Question = question, Answer = answer, Category = csv.GetString("category"), Intent = csv.GetString("intent"),
                Language = csv.GetString("language"), Preferred = csv.GetString("preferred") == "true", ContentHash = KnowledgeHash.Of(question, answer), CreatedUtc = now, UpdatedUtc = now,
                Embedding = row < vectors.Count ? VectorCodec.ToBytes(vectors[row]) : null,
            });
            row++;
        }
        if (row != vectors.Count)
            throw new InvalidOperationException($"The demo vectors ({vectors.Count}) do not match the demo knowledge ({row} rows); run `eval build-demo-data`.");
        // A thin knowledge base (the learning-curve evaluation): only the entries of the first intents, alphabetically.
        if (options.Value.KnowledgeIntents is { } keep)
        {
            var intents = entries.Select(e => e.Intent).Distinct().Order(StringComparer.Ordinal).Take(keep).ToHashSet();
            entries = entries.Where(e => intents.Contains(e.Intent)).ToList();
        }
        db.KnowledgeEntries.AddRange(entries);
        await db.SaveChangesAsync(ct);
    }

    private async Task SeedChannelsAsync(IDbContextFactory<HitlDbContext> factory, ChannelSecrets secrets, CancellationToken ct)
    {
        var demo = options.Value;
        await using var db = await factory.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var wa = demo.WhatsApp;
        if (!string.IsNullOrWhiteSpace(wa.PhoneNumberId) && !await db.Channels.AnyAsync(c => c.Kind == ChannelKind.WhatsAppCloud, ct))
        {
            db.Channels.Add(new Channel
            {
                Kind = ChannelKind.WhatsAppCloud, Name = "WhatsApp (demo)", PhoneNumberId = wa.PhoneNumberId,
                GraphBaseUrl = wa.GraphBaseUrl, GraphVersion = wa.GraphVersion,
                AccessTokenProtected = secrets.Protect(wa.AccessToken), AppSecretProtected = secrets.Protect(wa.AppSecret),
                VerifyTokenProtected = secrets.Protect(wa.VerifyToken), CreatedUtc = now,
                AccessTokenHint = Infrastructure.Security.SecretHint.Of(wa.AccessToken), AccessTokenSetUtc = string.IsNullOrEmpty(wa.AccessToken) ? null : now,
                AppSecretSetUtc = string.IsNullOrEmpty(wa.AppSecret) ? null : now, VerifyTokenSetUtc = string.IsNullOrEmpty(wa.VerifyToken) ? null : now,
            });
        }
        if (!string.IsNullOrWhiteSpace(demo.SimulatorApiKey) && !await db.Channels.AnyAsync(c => c.Kind == ChannelKind.Simulator, ct))
        {
            db.Channels.Add(new Channel
            {
                Kind = ChannelKind.Simulator, Name = "Simulator", ApiKeyHash = ChannelSecrets.HashApiKey(demo.SimulatorApiKey), ApiKeySetUtc = now, CreatedUtc = now,
            });
        }
        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo workspace is on: sign in as {DemoUsers} with password {DemoPassword}")]
    private partial void LogDemoUsers(string demoUsers, string demoPassword);
}
