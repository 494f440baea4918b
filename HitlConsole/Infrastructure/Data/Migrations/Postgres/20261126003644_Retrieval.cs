using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Postgres
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
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<byte[]>(
                name: "Embedding",
                table: "KnowledgeEntries",
                type: "bytea",
                nullable: true);

            migrationBuilder.AddColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "KnowledgeEntries",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "setweight(to_tsvector(CASE WHEN \"Language\" = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, coalesce(\"Question\", '')), 'A') ||\nsetweight(to_tsvector(CASE WHEN \"Language\" = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, coalesce(\"Answer\", '') || ' ' || coalesce(\"Tags\", '')), 'B')",
                stored: true);

            migrationBuilder.CreateTable(
                name: "ModelProfiles",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    TenantId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    Kind = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    BaseUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Model = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    ApiKeyProtected = table.Column<string>(type: "text", nullable: true),
                    ApiKeyHint = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: true),
                    ApiKeySetUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    Temperature = table.Column<double>(type: "double precision", nullable: false),
                    MaxTokens = table.Column<int>(type: "integer", nullable: false),
                    TimeoutSeconds = table.Column<int>(type: "integer", nullable: false),
                    ChainOrder = table.Column<int>(type: "integer", nullable: true),
                    PreferredIntents = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
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
                name: "IX_KnowledgeEntries_SearchVector",
                table: "KnowledgeEntries",
                column: "SearchVector")
                .Annotation("Npgsql:IndexMethod", "GIN");

            migrationBuilder.CreateIndex(
                name: "IX_ModelProfiles_TenantId_Name",
                table: "ModelProfiles",
                columns: new[] { "TenantId", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ModelProfiles");

            migrationBuilder.DropIndex(
                name: "IX_KnowledgeEntries_AwaitingEmbedding",
                table: "KnowledgeEntries");

            migrationBuilder.DropIndex(
                name: "IX_KnowledgeEntries_SearchVector",
                table: "KnowledgeEntries");

            migrationBuilder.DropColumn(
                name: "SearchVector",
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
