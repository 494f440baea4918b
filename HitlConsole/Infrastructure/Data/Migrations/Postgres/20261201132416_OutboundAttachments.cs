using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OutboundAttachments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Step",
                table: "SendAttempts",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Step",
                table: "SendAttempts");
        }
    }
}
