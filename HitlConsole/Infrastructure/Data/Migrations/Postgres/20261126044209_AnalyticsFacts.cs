using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AnalyticsFacts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "ChannelId",
                table: "Drafts",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<long>(
                name: "Quarter",
                table: "Drafts",
                type: "bigint",
                nullable: false,
                defaultValue: 0L);

            migrationBuilder.AddColumn<int>(
                name: "ResponseSeconds",
                table: "Drafts",
                type: "integer",
                nullable: true);

            // Drafts from before this release get their analytics facts from their message.
            migrationBuilder.Sql(@"UPDATE ""Drafts"" d SET ""Quarter"" = floor(extract(epoch from m.""SentUtc"") / 900), ""ChannelId"" = m.""ChannelId"" FROM ""Messages"" m WHERE m.""Id"" = d.""MessageId"";");

            migrationBuilder.CreateIndex(
                name: "IX_Messages_TenantId_Direction_SentUtc",
                table: "Messages",
                columns: new[] { "TenantId", "Direction", "SentUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_TenantId_Quarter_State_Intent_Confidence_ResponseSec~",
                table: "Drafts",
                columns: new[] { "TenantId", "Quarter", "State", "Intent", "Confidence", "ResponseSeconds", "EditDistance" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Messages_TenantId_Direction_SentUtc",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Drafts_TenantId_Quarter_State_Intent_Confidence_ResponseSec~",
                table: "Drafts");

            migrationBuilder.DropColumn(
                name: "ChannelId",
                table: "Drafts");

            migrationBuilder.DropColumn(
                name: "Quarter",
                table: "Drafts");

            migrationBuilder.DropColumn(
                name: "ResponseSeconds",
                table: "Drafts");
        }
    }
}
