using HitlConsole.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HitlConsole.Infrastructure.Data.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> b)
    {
        b.Property(t => t.Name).HasMaxLength(200);
        b.Property(t => t.DefaultCulture).HasMaxLength(10);
        b.Property(t => t.TimeZone).HasMaxLength(100);
        b.Property(t => t.AgentsPublishKnowledge).HasDefaultValue(false);
        b.Property(t => t.AutoAssignMode).HasConversion<string>().HasMaxLength(20).HasDefaultValue(AutoAssignMode.Off).HasSentinel(AutoAssignMode.Off);
        b.Property(t => t.AutoAssignCap).HasDefaultValue(10).HasSentinel(0);
        b.Property(t => t.AutoAssignLastUserId).HasMaxLength(450);
        b.HasIndex(t => t.Name).IsUnique();
    }
}

internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.Culture).HasMaxLength(8);
        // The last workspace is only a preference: deleting the workspace clears it.
        b.HasOne<Tenant>().WithMany().HasForeignKey(u => u.TenantId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(u => new { u.TenantId, u.NormalizedEmail });
    }
}

internal sealed class WorkspaceMemberConfiguration : IEntityTypeConfiguration<WorkspaceMember>
{
    public void Configure(EntityTypeBuilder<WorkspaceMember> b)
    {
        b.HasKey(m => new { m.TenantId, m.UserId });
        b.Property(m => m.Role).HasMaxLength(20);
        b.HasOne<Tenant>().WithMany().HasForeignKey(m => m.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AppUser>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => m.UserId);
    }
}

internal sealed class PlatformAuditEventConfiguration : IEntityTypeConfiguration<PlatformAuditEvent>
{
    public void Configure(EntityTypeBuilder<PlatformAuditEvent> b)
    {
        b.Property(e => e.ActorUserId).HasMaxLength(450);
        b.Property(e => e.ActorEmail).HasMaxLength(256);
        b.Property(e => e.Action).HasMaxLength(100);
        b.Property(e => e.WorkspaceName).HasMaxLength(200);
        b.Property(e => e.Detail).HasMaxLength(2000);
        b.HasIndex(e => e.AtUtc);
    }
}

internal sealed class KnowledgeEntryConfiguration : IEntityTypeConfiguration<KnowledgeEntry>
{
    public void Configure(EntityTypeBuilder<KnowledgeEntry> b)
    {
        b.Property(e => e.Question).HasMaxLength(2000);
        b.Property(e => e.Answer).HasMaxLength(8000);
        b.Property(e => e.Category).HasMaxLength(100);
        b.Property(e => e.Intent).HasMaxLength(100);
        b.Property(e => e.Tags).HasMaxLength(500);
        b.Property(e => e.Language).HasMaxLength(10);
        b.Property(e => e.ContentHash).HasMaxLength(64);
        b.Property(e => e.Version).IsConcurrencyToken();
        b.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => new { e.TenantId, e.ContentHash }).IsUnique();
        b.HasIndex(e => new { e.TenantId, e.Intent });
        // Lets the embedding service find its backlog without scanning all knowledge.
        b.HasIndex(e => e.TenantId, "IX_KnowledgeEntries_AwaitingEmbedding").HasFilter("\"Embedding\" IS NULL");
        // Narrow indexes for the per-search work, so neither reads the wide rows (answers, vectors): the knowledge
        // index's freshness check (last update) and the full-text search's workspace filter (active entries).
        b.HasIndex(e => new { e.TenantId, e.UpdatedUtc });
        b.HasIndex(e => new { e.TenantId, e.Active });
    }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.Property(e => e.Action).HasMaxLength(100);
        b.Property(e => e.EntityType).HasMaxLength(100);
        b.Property(e => e.EntityId).HasMaxLength(100);
        b.HasOne<Tenant>().WithMany().HasForeignKey(e => e.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(e => new { e.TenantId, e.AtUtc });
    }
}

internal sealed class ModelProfileConfiguration : IEntityTypeConfiguration<ModelProfile>
{
    public void Configure(EntityTypeBuilder<ModelProfile> b)
    {
        b.Property(p => p.Name).HasMaxLength(100);
        b.Property(p => p.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(p => p.BaseUrl).HasMaxLength(500);
        b.Property(p => p.Model).HasMaxLength(200);
        b.Property(p => p.ApiKeyHint).HasMaxLength(8);
        b.Property(p => p.PreferredIntents).HasMaxLength(2000);
        b.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(p => new { p.TenantId, p.Name }).IsUnique();
    }
}

internal sealed class KnowledgeImportConfiguration : IEntityTypeConfiguration<KnowledgeImport>
{
    public void Configure(EntityTypeBuilder<KnowledgeImport> b)
    {
        b.Property(i => i.FileName).HasMaxLength(260);
        b.Property(i => i.FilePath).HasMaxLength(1000);
        b.Property(i => i.Format).HasMaxLength(20);
        b.Property(i => i.EncodingName).HasMaxLength(30);
        b.Property(i => i.Delimiter).HasMaxLength(1);
        b.Property(i => i.Mode).HasConversion<string>().HasMaxLength(10);
        b.Property(i => i.Status).HasConversion<string>().HasMaxLength(12);
        b.Property(i => i.UpsertKey).HasMaxLength(20);
        b.Property(i => i.DefaultLanguage).HasMaxLength(10);
        b.Property(i => i.FailureReason).HasMaxLength(100);
        b.HasOne<Tenant>().WithMany().HasForeignKey(i => i.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => new { i.TenantId, i.CreatedUtc });
        // One import per workspace at a time, even when two admins press Import at the same moment.
        b.HasIndex(i => i.TenantId, "IX_KnowledgeImports_OneActive").IsUnique().HasFilter("\"Status\" IN ('Queued', 'Running')");
    }
}

internal sealed class ConfigVersionConfiguration : IEntityTypeConfiguration<ConfigVersion>
{
    public void Configure(EntityTypeBuilder<ConfigVersion> b)
    {
        b.Property(v => v.ContentHash).HasMaxLength(64);
        b.Property(v => v.Comment).HasMaxLength(500);
        b.Property(v => v.Name).HasMaxLength(100);
        b.Property(v => v.CreatedByUserId).HasMaxLength(450);
        b.Property(v => v.CreatedByName).HasMaxLength(256);
        b.HasOne<Tenant>().WithMany().HasForeignKey(v => v.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(v => new { v.TenantId, v.Number }).IsUnique();
    }
}
