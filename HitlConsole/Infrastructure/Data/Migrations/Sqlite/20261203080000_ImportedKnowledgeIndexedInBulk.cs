using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Sqlite
{
    /// <summary>
    /// Rows an import inserts are added to the full-text index by the import, one statement per batch
    /// (<c>SqliteBulkInsert</c>); the insert trigger indexes every other row. Through the trigger, each row's own statement
    /// made FTS5 write its pending terms out, and the merges of those tiny segments were half of a large import.
    /// </summary>
    public partial class ImportedKnowledgeIndexedInBulk : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS KnowledgeEntries_ai;
                CREATE TRIGGER KnowledgeEntries_ai AFTER INSERT ON KnowledgeEntries WHEN new.SourceImportId IS NULL BEGIN
                    INSERT INTO KnowledgeSearch(rowid, Question, Answer, Tags) VALUES (new.rowid, new.Question, new.Answer, new.Tags);
                END;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS KnowledgeEntries_ai;
                CREATE TRIGGER KnowledgeEntries_ai AFTER INSERT ON KnowledgeEntries BEGIN
                    INSERT INTO KnowledgeSearch(rowid, Question, Answer, Tags) VALUES (new.rowid, new.Question, new.Answer, new.Tags);
                END;
                """);
        }
    }
}
