using HitlConsole.Domain;
using HitlConsole.Features.Ai;
using HitlConsole.Features.Analytics;
using HitlConsole.Features.Channels;
using HitlConsole.Features.Knowledge;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Platform;

/// <summary>
/// A second workspace beside the demo one, with a row in every table a workspace owns and the people a deletion must tell
/// apart: its own Admin (a member nowhere else), the demo Agent (a member of both, last working here) and a platform
/// operator who belongs only here.
/// </summary>
public static class SecondWorkspace
{
    public const string Name = "Acme Export";
    /// <summary>A word no demo entry holds, so a full-text hit can only be this workspace's entry.</summary>
    public const string KnowledgeWord = "zanzibarquokka";
    public const string AccessToken = "EAAG-acme-plain-access-token-19c4";
    public const string AppSecret = "acme-plain-app-secret-77aa";
    public const string VerifyToken = "acme-plain-verify-token-3e51";
    public const string SimulatorKey = "acme-plain-simulator-key-0d9f";
    public const string ModelKey = "sk-acme-plain-model-key-6b21";
    public const string OperatorEmail = "operator@acme.test";
    public const string CustomerText = "Is the quokka plush back in stock?";
    public const string DraftText = "Yes, the quokka plush is back.";

    public sealed record Seeded(Guid TenantId, string AdminId, string AdminEmail, string SharedUserId, string OperatorId, string StagedFile,
        IReadOnlyList<string> ProtectedSecrets)
    {
        /// <summary>Every secret of the workspace as a person typed it and as the database stores it.</summary>
        public IEnumerable<string> AllSecrets => [AccessToken, AppSecret, VerifyToken, SimulatorKey, ModelKey, .. ProtectedSecrets];
    }

    public static async Task<Seeded> SeedAsync(IServiceProvider services)
    {
        var (tenant, adminId, _) = await services.CreateOtherTenantAsync(Name);
        var demo = await services.DemoTenantIdAsync();
        var shared = await services.UserIdAsync(demo, DemoUsers.Agent);
        var operatorId = await AddOperatorAsync(services, tenant);

        await using var scope = services.ForTenant(tenant, adminId);
        var sp = scope.ServiceProvider;
        await using var db = await sp.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var now = DateTime.UtcNow;
        db.WorkspaceMembers.Add(new WorkspaceMember { UserId = shared, Role = Roles.Agent, CreatedUtc = now });
        await db.Users.IgnoreQueryFilters().Where(u => u.Id == shared).ExecuteUpdateAsync(s => s.SetProperty(u => u.TenantId, tenant));

        var secrets = sp.GetRequiredService<ChannelSecrets>();
        var whatsApp = new Channel
        {
            Kind = ChannelKind.WhatsAppCloud, Name = "Acme WhatsApp", PhoneNumberId = "900000000000077", CreatedUtc = now,
            AccessTokenProtected = secrets.Protect(AccessToken), AppSecretProtected = secrets.Protect(AppSecret),
            VerifyTokenProtected = secrets.Protect(VerifyToken), AccessTokenHint = AccessToken[^4..],
        };
        var simulator = new Channel { Kind = ChannelKind.Simulator, Name = "Acme simulator", ApiKeyHash = ChannelSecrets.HashApiKey(SimulatorKey), CreatedUtc = now };
        var profile = new ModelProfile
        {
            Name = "Acme GPT", Kind = ModelProviderKind.OpenAiCompatible, BaseUrl = "https://llm.acme.test/v1", Model = "acme-large",
            ApiKeyProtected = sp.GetRequiredService<ModelSecrets>().Protect(ModelKey), ApiKeyHint = ModelKey[^4..], CreatedUtc = now, UpdatedUtc = now,
        };
        var contact = new Contact { ChannelId = whatsApp.Id, Address = "34600000077", DisplayName = "Quokka Customer", CreatedUtc = now };
        var conversation = new Conversation { ChannelId = whatsApp.Id, ContactId = contact.Id, CreatedUtc = now, LastActivityUtc = now.AddMinutes(1) };
        var asked = new Message
        {
            ChannelId = whatsApp.Id, ConversationId = conversation.Id, Direction = MessageDirection.Inbound, Author = MessageAuthor.Customer,
            Text = CustomerText, ExternalId = "wamid.acme-1", SentUtc = now, CreatedUtc = now,
        };
        var answered = new Message
        {
            ChannelId = whatsApp.Id, ConversationId = conversation.Id, Direction = MessageDirection.Outbound, Author = MessageAuthor.Ai,
            Text = DraftText, ExternalId = "wamid.acme-2", SentUtc = now.AddMinutes(1), CreatedUtc = now.AddMinutes(1),
        };
        var draft = new Draft
        {
            ConversationId = conversation.Id, MessageId = asked.Id, ChannelId = whatsApp.Id, Intent = "check_stock", Confidence = 81, Text = DraftText,
            State = DraftState.Approved, ReviewedByUserId = shared, SentMessageId = answered.Id, Quarter = AnalyticsTime.QuarterOf(now),
            CreatedUtc = now, UpdatedUtc = now,
        };
        var stagedFile = Path.Combine(Path.GetTempPath(), "hitl-tests", Guid.NewGuid().ToString("N") + ".upload");
        Directory.CreateDirectory(Path.GetDirectoryName(stagedFile)!);
        await File.WriteAllTextAsync(stagedFile, "question,answer\nq,a\n");
        db.AddRange(whatsApp, simulator, profile, contact, conversation, asked, answered, draft);
        db.AddRange(
            new KnowledgeEntry
            {
                Question = $"Do you sell the {KnowledgeWord} plush?", Answer = "Only in the Acme shop.", Intent = "check_stock",
                ContentHash = KnowledgeHash.Of(KnowledgeWord, "acme"), CreatedUtc = now, UpdatedUtc = now,
            },
            new KnowledgeImport { FileName = "acme.csv", FilePath = stagedFile, Status = ImportStatus.Uploaded, CreatedUtc = now },
            new AiInteraction { MessageId = asked.Id, DraftId = draft.Id, Intent = "check_stock", Confidence = 81, Outcome = "pending", CreatedUtc = now },
            new ConfigVersion
            {
                Number = 1, Document = """{"assistantName":"Acme helper","tone":"warm"}""", ContentHash = "acme-v1", Comment = "Acme launch",
                Name = "Launch", CreatedByUserId = adminId, CreatedByName = "Other Admin", CreatedUtc = now,
            },
            new AnalyticsDay { Day = 20000, Fold = AnalyticsFold.Intent, Intent = "check_stock", State = DraftState.Approved, Bucket = -1, Count = 1 },
            new AnalyticsSummary { TimeZone = "UTC", SummarisedUntilDay = 20000, CheckedUtc = now },
            // WhatsApp: a send attempt, a synced template, a customer's photo.
            new SendAttempt { MessageId = answered.Id, Number = 1, AttemptedUtc = now, Succeeded = true },
            new MessageTemplate { ChannelId = whatsApp.Id, Name = "acme_update", Language = "en", Status = "APPROVED", BodyText = "Hi {{1}}", SyncedUtc = now },
            new MediaFile { Sha256 = new string('a', 64), ContentType = "image/jpeg", SizeBytes = 3, Content = [1, 2, 3], CreatedUtc = now });
        // Teams: one team with the admin as its lead.
        var team = new Team { Name = "acme-returns", CreatedUtc = now };
        db.AddRange(team, new TeamMember { TeamId = team.Id, UserId = adminId, IsLead = true, CreatedUtc = now });
        conversation.TeamId = team.Id;
        // Team work: a note mentioning the admin, a saved reply, a label.
        var note = new ConversationNote { ConversationId = conversation.Id, AuthorUserId = adminId, Text = "acme internal note", CreatedUtc = now };
        db.AddRange(note,
            new NoteMention { NoteId = note.Id, ConversationId = conversation.Id, UserId = adminId, CreatedUtc = now },
            new SavedReply { Shortcut = "acme-hello", Text = "Hello {{customer_name}}", Language = "en", CreatedUtc = now, UpdatedUtc = now },
            new ConversationLabel { ConversationId = conversation.Id, Name = "acme-vip", CreatedUtc = now },
            new KnowledgeSuggestion
            {
                Question = $"Is the {KnowledgeWord} plush washable?", Answer = "Acme plushes are hand-wash only.", Language = "en",
                Origin = SuggestionOrigin.Edited, State = SuggestionState.Proposed, ConversationId = conversation.Id, SentMessageId = answered.Id,
                ProposedByUserId = adminId, CreatedUtc = now,
            });
        db.Record(adminId, "acme.tested", "Draft", draft.Id.ToString(), null, new { Note = "acme audit row" }, now);
        await db.SaveChangesAsync();

        var adminEmail = $"admin@{Name.Replace(" ", "").ToLowerInvariant()}.test";
        return new Seeded(tenant, adminId, adminEmail, shared, operatorId, stagedFile,
            [whatsApp.AccessTokenProtected!, whatsApp.AppSecretProtected!, whatsApp.VerifyTokenProtected!, simulator.ApiKeyHash!, profile.ApiKeyProtected!]);
    }

    private static async Task<string> AddOperatorAsync(IServiceProvider services, Guid tenant)
    {
        await using var scope = services.ForTenant(tenant);
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = OperatorEmail, Email = OperatorEmail, DisplayName = "Acme Operator", TenantId = tenant, IsPlatformOperator = true };
        Assert.True((await users.CreateAsync(user, HitlAppFactory.DemoPassword)).Succeeded);
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        db.WorkspaceMembers.Add(new WorkspaceMember { UserId = user.Id, Role = Roles.Admin, CreatedUtc = DateTime.UtcNow });
        await db.SaveChangesAsync();
        return user.Id;
    }

    /// <summary>Rows of every tenant-owned table (found in the model, as the deletion finds them) that belong to <paramref name="tenant"/>.</summary>
    public static async Task<Dictionary<string, int>> CountRowsAsync(IServiceProvider services, Guid tenant)
    {
        await using var scope = services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var counts = new Dictionary<string, int>();
        foreach (var type in db.Model.GetEntityTypes().Select(t => t.ClrType).Where(typeof(ITenantOwned).IsAssignableFrom))
            counts[type.Name] = await (Task<int>)CountMethod.MakeGenericMethod(type).Invoke(null, [db, tenant])!;
        return counts;
    }

    private static readonly System.Reflection.MethodInfo CountMethod = typeof(SecondWorkspace).GetMethod(nameof(Count),
        System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;

    private static Task<int> Count<T>(HitlDbContext db, Guid tenant) where T : class, ITenantOwned =>
        db.Set<T>().IgnoreQueryFilters().CountAsync(e => e.TenantId == tenant);
}
