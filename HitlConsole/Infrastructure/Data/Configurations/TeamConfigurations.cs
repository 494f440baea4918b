using HitlConsole.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HitlConsole.Infrastructure.Data.Configurations;

internal sealed class ConversationNoteConfiguration : IEntityTypeConfiguration<ConversationNote>
{
    public void Configure(EntityTypeBuilder<ConversationNote> b)
    {
        b.Property(n => n.Text).HasMaxLength(4096);
        b.Property(n => n.AuthorUserId).HasMaxLength(450);
        b.HasOne<Conversation>().WithMany().HasForeignKey(n => n.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(n => new { n.TenantId, n.ConversationId, n.CreatedUtc });
    }
}

internal sealed class NoteMentionConfiguration : IEntityTypeConfiguration<NoteMention>
{
    public void Configure(EntityTypeBuilder<NoteMention> b)
    {
        b.Property(m => m.UserId).HasMaxLength(450);
        b.HasOne<ConversationNote>().WithMany().HasForeignKey(m => m.NoteId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => new { m.TenantId, m.UserId, m.SeenUtc });
        b.HasIndex(m => new { m.TenantId, m.ConversationId });
    }
}

internal sealed class SavedReplyConfiguration : IEntityTypeConfiguration<SavedReply>
{
    public void Configure(EntityTypeBuilder<SavedReply> b)
    {
        b.Property(r => r.Shortcut).HasMaxLength(60);
        b.Property(r => r.Text).HasMaxLength(4096);
        b.Property(r => r.Language).HasMaxLength(8);
        b.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.Property(r => r.OwnerUserId).HasMaxLength(450);
        // A shortcut is unique among the workspace's replies, and among each person's own.
        b.HasIndex(r => new { r.TenantId, r.Language, r.Shortcut }).IsUnique().HasFilter("\"OwnerUserId\" IS NULL");
        b.HasIndex(r => new { r.TenantId, r.OwnerUserId, r.Language, r.Shortcut }).IsUnique().HasFilter("\"OwnerUserId\" IS NOT NULL");
    }
}

internal sealed class ConversationLabelConfiguration : IEntityTypeConfiguration<ConversationLabel>
{
    public void Configure(EntityTypeBuilder<ConversationLabel> b)
    {
        b.Property(l => l.Name).HasMaxLength(40);
        b.HasOne<Conversation>().WithMany().HasForeignKey(l => l.ConversationId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(l => new { l.TenantId, l.ConversationId, l.Name }).IsUnique();
        b.HasIndex(l => new { l.TenantId, l.Name });
    }
}

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> b)
    {
        b.Property(t => t.Name).HasMaxLength(80);
        b.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(t => new { t.TenantId, t.Name }).IsUnique();
    }
}

internal sealed class TeamMemberConfiguration : IEntityTypeConfiguration<TeamMember>
{
    public void Configure(EntityTypeBuilder<TeamMember> b)
    {
        b.HasKey(m => new { m.TeamId, m.UserId });
        b.Property(m => m.UserId).HasMaxLength(450);
        b.HasOne<Team>().WithMany().HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<WorkspaceMember>().WithMany().HasForeignKey(m => new { m.TenantId, m.UserId }).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(m => new { m.TenantId, m.UserId });
    }
}
