using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class MessageSearchAndPersonalReplies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SavedReplies_TenantId_Language_Shortcut",
                table: "SavedReplies");

            migrationBuilder.AddColumn<string>(
                name: "OwnerUserId",
                table: "SavedReplies",
                type: "character varying(450)",
                maxLength: 450,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Culture",
                table: "AspNetUsers",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_SavedReplies_TenantId_Language_Shortcut",
                table: "SavedReplies",
                columns: new[] { "TenantId", "Language", "Shortcut" },
                unique: true,
                filter: "\"OwnerUserId\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_SavedReplies_TenantId_OwnerUserId_Language_Shortcut",
                table: "SavedReplies",
                columns: new[] { "TenantId", "OwnerUserId", "Language", "Shortcut" },
                unique: true,
                filter: "\"OwnerUserId\" IS NOT NULL");

            MessageSearchSql.Up(migrationBuilder, sqlite: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            MessageSearchSql.Down(migrationBuilder, sqlite: false);

            migrationBuilder.DropIndex(
                name: "IX_SavedReplies_TenantId_Language_Shortcut",
                table: "SavedReplies");

            migrationBuilder.DropIndex(
                name: "IX_SavedReplies_TenantId_OwnerUserId_Language_Shortcut",
                table: "SavedReplies");

            migrationBuilder.DropColumn(
                name: "OwnerUserId",
                table: "SavedReplies");

            migrationBuilder.DropColumn(
                name: "Culture",
                table: "AspNetUsers");

            migrationBuilder.CreateIndex(
                name: "IX_SavedReplies_TenantId_Language_Shortcut",
                table: "SavedReplies",
                columns: new[] { "TenantId", "Language", "Shortcut" },
                unique: true);
        }
    }
}
