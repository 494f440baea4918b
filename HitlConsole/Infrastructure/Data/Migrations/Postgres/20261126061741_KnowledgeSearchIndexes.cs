using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KnowledgeSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeEntries_TenantId_Active",
                table: "KnowledgeEntries",
                columns: new[] { "TenantId", "Active" });

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeEntries_TenantId_UpdatedUtc",
                table: "KnowledgeEntries",
                columns: new[] { "TenantId", "UpdatedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_KnowledgeEntries_TenantId_Active",
                table: "KnowledgeEntries");

            migrationBuilder.DropIndex(
                name: "IX_KnowledgeEntries_TenantId_UpdatedUtc",
                table: "KnowledgeEntries");
        }
    }
}
