using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class MessageDraftJob : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DraftJobId",
                table: "Messages",
                type: "TEXT",
                maxLength: 100,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "DraftJobId",
                table: "Messages");
        }
    }
}
