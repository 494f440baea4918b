using HitlConsole.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;

namespace HitlConsole.Infrastructure.Data;

/// <summary>
/// The WhatsApp webhook's delivery log (ADR 0025). On PostgreSQL it is the <c>WebhookDeliveries</c> table of the app's
/// database (created by its migrations). On SQLite it is a file of its own beside the database
/// (<c>hitlconsole.db</c> → <c>hitlconsole.inbound.db</c>): SQLite has one writer per file, and in the same file every
/// append waited behind the reader's transactions that store the messages, which is the wait store-first removes.
/// </summary>
public sealed class DeliveryLogContext(DbContextOptions<DeliveryLogContext> options) : DbContext(options)
{
    public DbSet<WebhookDelivery> Deliveries => Set<WebhookDelivery>();

    protected override void OnModelCreating(ModelBuilder builder) =>
        new WebhookDeliveryConfiguration().Configure(builder.Entity<WebhookDelivery>());

    internal static string SqliteFile(DatabaseOptions db) => Path.ChangeExtension(DatabaseOptions.EnsureSqliteFolder(db.ConnectionString!), ".inbound.db");
}

/// <summary>Creates <see cref="DeliveryLogContext"/>s; on SQLite the log's file and table are created on first use.</summary>
public sealed class DeliveryLogDatabase
{
    private readonly DbContextOptions<DeliveryLogContext> _options;
    private readonly Lazy<Task> _ready;

    public DeliveryLogDatabase(IOptions<DatabaseOptions> database, ILoggerFactory loggers)
    {
        var db = database.Value;
        var b = new DbContextOptionsBuilder<DeliveryLogContext>().UseLoggerFactory(loggers);
        _options = db.ProviderKind == DatabaseProvider.Postgres
            ? b.UseNpgsql(db.ConnectionString).Options
            : b.UseSqlite($"Data Source={DeliveryLogContext.SqliteFile(db)};Pooling=True").AddInterceptors(SqliteBusyTimeout.Instance).Options;
        _ready = new Lazy<Task>(() => db.ProviderKind == DatabaseProvider.Postgres ? Task.CompletedTask : CreateSqliteAsync());
    }

    public async Task<DeliveryLogContext> OpenAsync(CancellationToken ct)
    {
        await _ready.Value.WaitAsync(ct);
        return new DeliveryLogContext(_options);
    }

    /// <summary>
    /// The file holds one table whose rows live for milliseconds, so it is created from the model rather than migrated: a
    /// later version that changes the table can recreate it once it is empty.
    /// </summary>
    private async Task CreateSqliteAsync()
    {
        await using var db = new DeliveryLogContext(_options);
        await db.Database.EnsureCreatedAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("WebhookDeliveries");
        b.Property(d => d.SignedBy).HasMaxLength(2000);
        b.Property(d => d.TraceParent).HasMaxLength(64);
        // Only deliveries still to read are looked up, oldest first.
        b.HasIndex(d => new { d.GaveUpUtc, d.Id });
    }
}
