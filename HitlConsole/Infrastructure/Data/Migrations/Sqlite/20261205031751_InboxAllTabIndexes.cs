using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class InboxAllTabIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Drafts_TenantId_State_CreatedUtc",
                table: "Drafts");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_TenantId_State_CreatedUtc_ConversationId",
                table: "Drafts",
                columns: new[] { "TenantId", "State", "CreatedUtc", "ConversationId" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_TenantId_LastActivityUtc",
                table: "Conversations",
                columns: new[] { "TenantId", "LastActivityUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Conversations_TenantId_Pinned",
                table: "Conversations",
                column: "TenantId",
                filter: "\"Pinned\"");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Drafts_TenantId_State_CreatedUtc_ConversationId",
                table: "Drafts");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_TenantId_LastActivityUtc",
                table: "Conversations");

            migrationBuilder.DropIndex(
                name: "IX_Conversations_TenantId_Pinned",
                table: "Conversations");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_TenantId_State_CreatedUtc",
                table: "Drafts",
                columns: new[] { "TenantId", "State", "CreatedUtc" });
        }
    }
}
