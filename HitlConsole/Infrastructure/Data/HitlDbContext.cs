using HitlConsole.Domain;
using HitlConsole.Infrastructure.Tenancy;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace HitlConsole.Infrastructure.Data;

/// <summary>
/// The one model of the product. Each provider has a subclass (<see cref="SqliteHitlDbContext"/>,
/// <see cref="PostgresHitlDbContext"/>) only so that each keeps its own migrations.
/// </summary>
public abstract class HitlDbContext(DbContextOptions options, TenantContext tenant)
    : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public const string TenantFilter = "Tenant";

    /// <summary>Read by the query filters on every query (EF parameterises context members).</summary>
    internal Guid? CurrentTenantId => tenant.TenantId;

    public DbSet<Tenant> Tenants => Set<Tenant>();
    public DbSet<KnowledgeEntry> KnowledgeEntries => Set<KnowledgeEntry>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Channel> Channels => Set<Channel>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<Draft> Drafts => Set<Draft>();
    public DbSet<AiInteraction> AiInteractions => Set<AiInteraction>();
    public DbSet<ModelProfile> ModelProfiles => Set<ModelProfile>();
    public DbSet<KnowledgeImport> KnowledgeImports => Set<KnowledgeImport>();
    public DbSet<ConfigVersion> ConfigVersions => Set<ConfigVersion>();
    public DbSet<AnalyticsDay> AnalyticsDays => Set<AnalyticsDay>();
    public DbSet<AnalyticsSummary> AnalyticsSummaries => Set<AnalyticsSummary>();
    public DbSet<WorkspaceMember> WorkspaceMembers => Set<WorkspaceMember>();
    public DbSet<PlatformAuditEvent> PlatformAuditEvents => Set<PlatformAuditEvent>();
    public DbSet<SendAttempt> SendAttempts => Set<SendAttempt>();
    public DbSet<MessageTemplate> MessageTemplates => Set<MessageTemplate>();
    public DbSet<MediaFile> MediaFiles => Set<MediaFile>();
    public DbSet<ConversationNote> ConversationNotes => Set<ConversationNote>();
    public DbSet<NoteMention> NoteMentions => Set<NoteMention>();
    public DbSet<SavedReply> SavedReplies => Set<SavedReply>();
    public DbSet<ConversationLabel> ConversationLabels => Set<ConversationLabel>();
    public DbSet<KnowledgeSuggestion> KnowledgeSuggestions => Set<KnowledgeSuggestion>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(HitlDbContext).Assembly,
            t => t.Namespace == typeof(HitlDbContext).Namespace + ".Configurations");

        // Anonymous scopes (the login page) must find a user by e-mail; signed-in users and their handlers see only the
        // members of the workspace in force.
        builder.Entity<AppUser>().HasQueryFilter(TenantFilter,
            u => CurrentTenantId == null || Set<WorkspaceMember>().Any(m => m.UserId == u.Id && m.TenantId == CurrentTenantId));

        // Business rows are strict: no tenant in scope, no rows.
        foreach (var type in builder.Model.GetEntityTypes().Select(t => t.ClrType)
                     .Where(t => typeof(ITenantOwned).IsAssignableFrom(t)).ToList())
        {
            StrictFilter.MakeGenericMethod(type).Invoke(this, [builder]);
        }
    }

    private static readonly System.Reflection.MethodInfo StrictFilter =
        typeof(HitlDbContext).GetMethod(nameof(ApplyStrictTenantFilter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;

    private void ApplyStrictTenantFilter<T>(ModelBuilder builder) where T : class, ITenantOwned =>
        builder.Entity<T>().HasQueryFilter(TenantFilter, e => e.TenantId == CurrentTenantId);

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardTenancy();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardTenancy();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>
    /// New rows take the scope's tenant; a scope that has a tenant can never write another
    /// tenant's row, whatever a handler loaded or attached.
    /// </summary>
    private void GuardTenancy()
    {
        foreach (var entry in ChangeTracker.Entries<ITenantOwned>())
        {
            if (entry.State == EntityState.Added && entry.Entity.TenantId == Guid.Empty)
            {
                entry.Entity.TenantId = CurrentTenantId
                    ?? throw new InvalidOperationException($"A new {entry.Entity.GetType().Name} needs a tenant and the scope has none.");
            }

            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && CurrentTenantId is { } tenantId && entry.Entity.TenantId != tenantId)
            {
                throw new TenantViolationException(entry.Entity.GetType().Name);
            }
        }
    }
}

public sealed class TenantViolationException(string entity)
    : InvalidOperationException($"Refused to write a {entity} that belongs to another tenant.");

public sealed class SqliteHitlDbContext(DbContextOptions options, TenantContext tenant) : HitlDbContext(options, tenant);

public sealed class PostgresHitlDbContext(DbContextOptions options, TenantContext tenant) : HitlDbContext(options, tenant)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // Full-text search column, language-aware per entry; SQLite's equivalent is the FTS5 table of the Retrieval migration.
        // The text is read without accents (the search folds its words the same way), so "cancelacion" and "cancelación" meet.
        builder.Entity<KnowledgeEntry>().Property<NpgsqlTypes.NpgsqlTsVector>("SearchVector")
            .HasComputedColumnSql($$"""
                setweight(to_tsvector(CASE WHEN "Language" = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, {{FoldSql("coalesce(\"Question\", '')")}}), 'A') ||
                setweight(to_tsvector(CASE WHEN "Language" = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, {{FoldSql("coalesce(\"Answer\", '') || ' ' || coalesce(\"Tags\", '')")}}), 'B')
                """, stored: true);
        builder.Entity<KnowledgeEntry>().HasIndex("SearchVector").HasMethod("GIN");
        // The webhook's delivery log lives beside the business tables here; on SQLite it has a file of its own (DeliveryLogContext).
        new WebhookDeliveryConfiguration().Configure(builder.Entity<WebhookDelivery>());
    }

    /// <summary>PostgreSQL text without the accents of Spanish (and the common Latin ones), both cases; immutable, so a stored column can use it.</summary>
    private static string FoldSql(string text) =>
        $"translate({text}, 'ÁÀÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜÑÇáàâäéèêëíìîïóòôöúùûüñç', 'AAAAEEEEIIIIOOOOUUUUNCaaaaeeeeiiiioooouuuunc')";
}
