using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AnalyticsCountsGuardrailBlocks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The daily summary counted a guardrail block by what a person did next: it is rebuilt from the drafts.
            migrationBuilder.Sql("DELETE FROM \"AnalyticsDays\"; DELETE FROM \"AnalyticsSummaries\";");

            migrationBuilder.DropIndex(
                name: "IX_Drafts_TenantId_Quarter_State_Intent_Confidence_ResponseSec~",
                table: "Drafts");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_TenantId_Quarter_State_Intent_Confidence_ResponseSec~",
                table: "Drafts",
                columns: new[] { "TenantId", "Quarter", "State", "Intent", "Confidence", "ResponseSeconds", "EditDistance", "Classification" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Drafts_TenantId_Quarter_State_Intent_Confidence_ResponseSec~",
                table: "Drafts");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_TenantId_Quarter_State_Intent_Confidence_ResponseSec~",
                table: "Drafts",
                columns: new[] { "TenantId", "Quarter", "State", "Intent", "Confidence", "ResponseSeconds", "EditDistance" });
        }
    }
}
