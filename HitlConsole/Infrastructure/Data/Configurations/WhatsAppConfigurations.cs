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
        b.HasOne<Message>().WithMany().HasForeignKey(a => a.MessageId).OnDelete(DeleteBehavior.Cascade);
        // One row per try: a job that runs twice for the same try cannot record it twice.
        b.HasIndex(a => new { a.MessageId, a.Number }).IsUnique();
        b.HasIndex(a => new { a.TenantId, a.MessageId });
    }
}
