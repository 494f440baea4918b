using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class InboxDraftIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Drafts_TenantId_ConversationId",
                table: "Drafts");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_TenantId_ConversationId_State_CreatedUtc",
                table: "Drafts",
                columns: new[] { "TenantId", "ConversationId", "State", "CreatedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Drafts_TenantId_ConversationId_State_CreatedUtc",
                table: "Drafts");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_TenantId_ConversationId",
                table: "Drafts",
                columns: new[] { "TenantId", "ConversationId" });
        }
    }
}
