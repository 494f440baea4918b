using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class KnowledgeLearning : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AgentsPublishKnowledge",
                table: "Tenants",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "GapEntryId",
                table: "Drafts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "KnowledgeSuggestions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Question = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Answer = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    Intent = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    Origin = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ReplacedDraft = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: true),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SentMessageId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ProposedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DecidedByUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    DecidedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    KnowledgeEntryId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_KnowledgeSuggestions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_KnowledgeSuggestions_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeSuggestions_TenantId_SentMessageId",
                table: "KnowledgeSuggestions",
                columns: new[] { "TenantId", "SentMessageId" },
                unique: true,
                filter: "\"SentMessageId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeSuggestions_TenantId_State_CreatedUtc",
                table: "KnowledgeSuggestions",
                columns: new[] { "TenantId", "State", "CreatedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "KnowledgeSuggestions");

            migrationBuilder.DropColumn(
                name: "AgentsPublishKnowledge",
                table: "Tenants");

            migrationBuilder.DropColumn(
                name: "GapEntryId",
                table: "Drafts");
        }
    }
}
