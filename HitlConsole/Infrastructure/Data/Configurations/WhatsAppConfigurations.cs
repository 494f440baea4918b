using HitlConsole.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HitlConsole.Infrastructure.Data.Configurations;

internal sealed class SendAttemptConfiguration : IEntityTypeConfiguration<SendAttempt>
{
    public void Configure(EntityTypeBuilder<SendAttempt> b)
    {
        b.Property(a => a.ErrorCode).HasMaxLength(20);
        b.Property(a => a.ErrorTitle).HasMaxLength(300);
        b.Property(a => a.Step).HasMaxLength(16);
        b.HasOne<Message>().WithMany().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
        // One row per try: a job that runs twice for the same try cannot record it twice.
        b.HasIndex(a => new { a.MessageId, a.Number }).IsUnique();
        b.HasIndex(a => new { a.TenantId, a.MessageId });
    }
}

internal sealed class MessageTemplateConfiguration : IEntityTypeConfiguration<MessageTemplate>
{
    public void Configure(EntityTypeBuilder<MessageTemplate> b)
    {
        b.Property(t => t.ExternalId).HasMaxLength(64);
        b.Property(t => t.Name).HasMaxLength(512);
        b.Property(t => t.Language).HasMaxLength(16);
        b.Property(t => t.Category).HasMaxLength(30);
        b.Property(t => t.Status).HasMaxLength(30);
        b.Property(t => t.HeaderText).HasMaxLength(200);
        b.Property(t => t.BodyText).HasMaxLength(2000);
        b.Property(t => t.FooterText).HasMaxLength(200);
        b.Property(t => t.Slots).HasMaxLength(4000);
        b.HasOne<Channel>().WithMany().HasForeignKey(t => t.ChannelId).OnDelete(DeleteBehavior.Cascade);
        // Meta names a template by name and language within one business account.
        b.HasIndex(t => new { t.TenantId, t.ChannelId, t.Name, t.Language }).IsUnique();
    }
}

internal sealed class MediaFileConfiguration : IEntityTypeConfiguration<MediaFile>
{
    public void Configure(EntityTypeBuilder<MediaFile> b)
    {
        b.Property(f => f.Sha256).HasMaxLength(64);
        b.Property(f => f.ContentType).HasMaxLength(100);
        b.Property(f => f.FileName).HasMaxLength(255);
        b.HasOne<Tenant>().WithMany().HasForeignKey(f => f.TenantId).OnDelete(DeleteBehavior.Cascade);
        // One copy per content and workspace: a retried download or a file sent twice stores nothing new.
        b.HasIndex(f => new { f.TenantId, f.Sha256 }).IsUnique();
    }
}
