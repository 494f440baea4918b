using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Retrieval : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DraftInstruction",
                table: "Messages",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Embedding",
                table: "KnowledgeEntries",
                type: "BLOB",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "ModelProfiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    TenantId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 30, nullable: false),
                    BaseUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Model = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    ApiKeyProtected = table.Column<string>(type: "TEXT", nullable: true),
                    ApiKeyHint = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                    ApiKeySetUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Temperature = table.Column<double>(type: "REAL", nullable: false),
                    MaxTokens = table.Column<int>(type: "INTEGER", nullable: false),
                    TimeoutSeconds = table.Column<int>(type: "INTEGER", nullable: false),
                    ChainOrder = table.Column<int>(type: "INTEGER", nullable: true),
                    PreferredIntents = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ModelProfiles", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ModelProfiles_Tenants_TenantId",
                        column: x => x.TenantId,
                        principalTable: "Tenants",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_KnowledgeEntries_AwaitingEmbedding",
                table: "KnowledgeEntries",
                column: "TenantId",
                filter: "\"Embedding\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_ModelProfiles_TenantId_Name",
                table: "ModelProfiles",
                columns: new[] { "TenantId", "Name" },
                unique: true);

            // Full-text index over the knowledge (external content, kept in step by triggers, so bulk SQL updates and
            // deletes are indexed too). A future migration that rebuilds KnowledgeEntries must recreate these triggers
            // and run the 'rebuild' command, because a table rebuild renumbers rowids (docs/adr/0007).
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE KnowledgeSearch USING fts5(
                    Question, Answer, Tags, content='KnowledgeEntries', content_rowid='rowid',
                    tokenize='porter unicode61 remove_diacritics 2');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER KnowledgeEntries_ai AFTER INSERT ON KnowledgeEntries BEGIN
                    INSERT INTO KnowledgeSearch(rowid, Question, Answer, Tags) VALUES (new.rowid, new.Question, new.Answer, new.Tags);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER KnowledgeEntries_ad AFTER DELETE ON KnowledgeEntries BEGIN
                    INSERT INTO KnowledgeSearch(KnowledgeSearch, rowid, Question, Answer, Tags) VALUES ('delete', old.rowid, old.Question, old.Answer, old.Tags);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER KnowledgeEntries_au AFTER UPDATE OF Question, Answer, Tags ON KnowledgeEntries BEGIN
                    INSERT INTO KnowledgeSearch(KnowledgeSearch, rowid, Question, Answer, Tags) VALUES ('delete', old.rowid, old.Question, old.Answer, old.Tags);
                    INSERT INTO KnowledgeSearch(rowid, Question, Answer, Tags) VALUES (new.rowid, new.Question, new.Answer, new.Tags);
                END;
                """);
            migrationBuilder.Sql("INSERT INTO KnowledgeSearch(KnowledgeSearch) VALUES ('rebuild');");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS KnowledgeEntries_ai; DROP TRIGGER IF EXISTS KnowledgeEntries_ad; DROP TRIGGER IF EXISTS KnowledgeEntries_au; DROP TABLE IF EXISTS KnowledgeSearch;");

            migrationBuilder.DropTable(
                name: "ModelProfiles");

            migrationBuilder.DropIndex(
                name: "IX_KnowledgeEntries_AwaitingEmbedding",
                table: "KnowledgeEntries");

            migrationBuilder.DropColumn(
                name: "DraftInstruction",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "Embedding",
                table: "KnowledgeEntries");
        }
    }
}
