using HitlConsole.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace HitlConsole.Infrastructure.Data.Configurations;

internal sealed class KnowledgeSuggestionConfiguration : IEntityTypeConfiguration<KnowledgeSuggestion>
{
    public void Configure(EntityTypeBuilder<KnowledgeSuggestion> b)
    {
        b.Property(s => s.Question).HasMaxLength(2000);
        b.Property(s => s.Answer).HasMaxLength(8000);
        b.Property(s => s.Intent).HasMaxLength(100);
        b.Property(s => s.Language).HasMaxLength(10);
        b.Property(s => s.ReplacedDraft).HasMaxLength(4096);
        b.Property(s => s.Origin).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.State).HasConversion<string>().HasMaxLength(20);
        b.Property(s => s.ProposedByUserId).HasMaxLength(450);
        b.Property(s => s.DecidedByUserId).HasMaxLength(450);
        b.Property(s => s.Version).IsConcurrencyToken();
        b.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => new { s.TenantId, s.State, s.CreatedUtc });
        // One proposal per sent reply: a second click (or a second tab) is told it is already proposed.
        b.HasIndex(s => new { s.TenantId, s.SentMessageId }).IsUnique().HasFilter("\"SentMessageId\" IS NOT NULL");
    }
}
