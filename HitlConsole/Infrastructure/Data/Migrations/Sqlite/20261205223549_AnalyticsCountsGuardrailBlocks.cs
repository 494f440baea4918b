using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Sqlite
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
                name: "IX_Drafts_TenantId_Quarter_State_Intent_Confidence_ResponseSeconds_EditDistance",
                table: "Drafts");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_TenantId_Quarter_State_Intent_Confidence_ResponseSeconds_EditDistance_Classification",
                table: "Drafts",
                columns: new[] { "TenantId", "Quarter", "State", "Intent", "Confidence", "ResponseSeconds", "EditDistance", "Classification" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Drafts_TenantId_Quarter_State_Intent_Confidence_ResponseSeconds_EditDistance_Classification",
                table: "Drafts");

            migrationBuilder.CreateIndex(
                name: "IX_Drafts_TenantId_Quarter_State_Intent_Confidence_ResponseSeconds_EditDistance",
                table: "Drafts",
                columns: new[] { "TenantId", "Quarter", "State", "Intent", "Confidence", "ResponseSeconds", "EditDistance" });
        }
    }
}
