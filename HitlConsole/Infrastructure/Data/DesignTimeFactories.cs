using HitlConsole.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace HitlConsole.Infrastructure.Data;

// Used only by `dotnet ef migrations add --context ...`; no connection is opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteHitlDbContext>
{
    public SqliteHitlDbContext CreateDbContext(string[] args) =>
        new(DataRegistration.Configure(new DbContextOptionsBuilder<HitlDbContext>(), DatabaseProvider.Sqlite, "Data Source=design.db").Options, new TenantContext());
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresHitlDbContext>
{
    public PostgresHitlDbContext CreateDbContext(string[] args) =>
        new(DataRegistration.Configure(new DbContextOptionsBuilder<HitlDbContext>(), DatabaseProvider.Postgres, "Host=localhost;Database=design").Options, new TenantContext());
}
