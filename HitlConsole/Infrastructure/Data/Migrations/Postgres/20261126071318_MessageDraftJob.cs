using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Postgres
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
                type: "character varying(100)",
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
