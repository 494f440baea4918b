using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class DraftAgainAfterRejection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Drafts_MessageId",
                table: "Drafts");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_MessageId",
                table: "Drafts",
                column: "MessageId",
                unique: true,
                filter: "\"State\" <> 'Rejected'");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_MessageId_State",
                table: "Drafts",
                columns: new[] { "MessageId", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Drafts_MessageId",
                table: "Drafts");

            migrationBuilder.DropIndex(
                name: "IX_Drafts_MessageId_State",
                table: "Drafts");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_MessageId",
                table: "Drafts",
                column: "MessageId",
                unique: true);
        }
    }
}
