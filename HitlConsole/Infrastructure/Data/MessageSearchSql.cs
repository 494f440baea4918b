using Microsoft.EntityFrameworkCore.Migrations;

namespace HitlConsole.Infrastructure.Data;

/// <summary>
/// The database objects behind the inbox's full-text search over messages (text and caption), kept out of the generated
/// migration so a regenerated migration only has to call <see cref="Up"/> and <see cref="Down"/> again.
/// SQLite: an FTS5 table with external content over <c>Messages</c> (by rowid), accents folded
/// (<c>unicode61 remove_diacritics 2</c>), prefix indexes for the word being typed, kept in step by triggers, so
/// bulk SQL deletes (a workspace's deletion) remove the indexed rows too. A migration that rebuilds the
/// <c>Messages</c> table on SQLite must call <see cref="Up"/> again after dropping the FTS objects: a rebuild renumbers rowids
/// and drops the triggers (as for the knowledge search, docs/adr/0007).
/// PostgreSQL: a GIN index over <c>to_tsvector('simple', …)</c> of the lower-cased text with Spanish and other Latin accents
/// folded by <c>translate</c> — built in, immutable, no extension (unaccent) to install; queries repeat
/// <see cref="PostgresDocument"/> exactly so the planner uses the index.
/// </summary>
public static class MessageSearchSql
{
    public const string SqliteTable = "MessageSearch";

    private const string Accented = "áàâäãåéèêëíìîïóòôöõúùûüñçýÿÁÀÂÄÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÑÇÝ";
    private const string Plain = "aaaaaaeeeeiiiiooooouuuuncyyaaaaaaeeeeiiiiooooouuuuncy";

    /// <summary>The indexed document of a message on PostgreSQL, over the table alias <c>m</c>.</summary>
    public const string PostgresDocument =
        "to_tsvector('simple'::regconfig, translate(lower(coalesce(m.\"Text\", '') || ' ' || coalesce(m.\"Caption\", '')), '" + Accented + "', '" + Plain + "'))";

    public static void Up(MigrationBuilder migrationBuilder, bool sqlite)
    {
        if (sqlite)
        {
            migrationBuilder.Sql("""
                CREATE VIRTUAL TABLE MessageSearch USING fts5(
                    Text, Caption, content='Messages', content_rowid='rowid',
                    tokenize='unicode61 remove_diacritics 2', prefix='2 3');
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER Messages_search_ai AFTER INSERT ON Messages BEGIN
                    INSERT INTO MessageSearch(rowid, Text, Caption) VALUES (new.rowid, new.Text, new.Caption);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER Messages_search_ad AFTER DELETE ON Messages BEGIN
                    INSERT INTO MessageSearch(MessageSearch, rowid, Text, Caption) VALUES ('delete', old.rowid, old.Text, old.Caption);
                END;
                """);
            migrationBuilder.Sql("""
                CREATE TRIGGER Messages_search_au AFTER UPDATE OF Text, Caption ON Messages BEGIN
                    INSERT INTO MessageSearch(MessageSearch, rowid, Text, Caption) VALUES ('delete', old.rowid, old.Text, old.Caption);
                    INSERT INTO MessageSearch(rowid, Text, Caption) VALUES (new.rowid, new.Text, new.Caption);
                END;
                """);
            migrationBuilder.Sql("INSERT INTO MessageSearch(MessageSearch) VALUES ('rebuild');");
        }
        else
        {
            // The index expression names the table's columns without the alias the queries use.
            var document = PostgresDocument.Replace("m.\"", "\"", StringComparison.Ordinal);
            migrationBuilder.Sql($"CREATE INDEX \"IX_Messages_Search\" ON \"Messages\" USING GIN ({document});");
        }
    }

    public static void Down(MigrationBuilder migrationBuilder, bool sqlite)
    {
        migrationBuilder.Sql(sqlite
            ? "DROP TRIGGER IF EXISTS Messages_search_ai; DROP TRIGGER IF EXISTS Messages_search_ad; DROP TRIGGER IF EXISTS Messages_search_au; DROP TABLE IF EXISTS MessageSearch;"
            : "DROP INDEX IF EXISTS \"IX_Messages_Search\";");
    }
}
