using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TeamWork : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ConversationLabels",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationLabels", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConversationLabels_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "ConversationNotes",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuthorUserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: true),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ConversationNotes", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ConversationNotes_Conversations_ConversationId",
                        column: x => x.ConversationId,
                        principalTable: "Conversations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SavedReplies",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Shortcut = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedReplies", x => x.Id);
                    table.ForeignKey(
                        name: "FK_SavedReplies_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "NoteMentions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    NoteId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ConversationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserId = table.Column<string>(type: "TEXT", maxLength: 450, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SeenUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_NoteMentions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_NoteMentions_ConversationNotes_NoteId",
                        column: x => x.NoteId,
                        principalTable: "ConversationNotes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ConversationLabels_ConversationId",
                table: "ConversationLabels",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_ConversationLabels_TenantId_ConversationId_Name",
                table: "ConversationLabels",
                columns: new[] { "TenantId", "ConversationId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ConversationLabels_TenantId_Name",
                table: "ConversationLabels",
                columns: new[] { "TenantId", "Name" });

            migrationBuilder.CreateIndex(
                name: "IX_ConversationNotes_ConversationId",
                table: "ConversationNotes",
                column: "ConversationId");

            migrationBuilder.CreateIndex(
                name: "IX_ConversationNotes_TenantId_ConversationId_CreatedUtc",
                table: "ConversationNotes",
                columns: new[] { "TenantId", "ConversationId", "CreatedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_NoteMentions_NoteId",
                table: "NoteMentions",
                column: "NoteId");

            migrationBuilder.CreateIndex(
                name: "IX_NoteMentions_TenantId_ConversationId",
                table: "NoteMentions",
                columns: new[] { "TenantId", "ConversationId" });

            migrationBuilder.CreateIndex(
                name: "IX_NoteMentions_TenantId_UserId_SeenUtc",
                table: "NoteMentions",
                columns: new[] { "TenantId", "UserId", "SeenUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_SavedReplies_TenantId_Language_Shortcut",
                table: "SavedReplies",
                columns: new[] { "TenantId", "Language", "Shortcut" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ConversationLabels");

            migrationBuilder.DropTable(
                name: "NoteMentions");

            migrationBuilder.DropTable(
                name: "SavedReplies");

            migrationBuilder.DropTable(
                name: "ConversationNotes");
        }
    }
}
