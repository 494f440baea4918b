using Microsoft.EntityFrameworkCore.Migrations;
using NpgsqlTypes;

#nullable disable

namespace HitlConsole.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class KnowledgeSearchWithoutAccents : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "KnowledgeEntries",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "setweight(to_tsvector(CASE WHEN \"Language\" = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, translate(coalesce(\"Question\", ''), 'ÁÀÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜÑÇáàâäéèêëíìîïóòôöúùûüñç', 'AAAAEEEEIIIIOOOOUUUUNCaaaaeeeeiiiioooouuuunc')), 'A') ||\nsetweight(to_tsvector(CASE WHEN \"Language\" = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, translate(coalesce(\"Answer\", '') || ' ' || coalesce(\"Tags\", ''), 'ÁÀÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜÑÇáàâäéèêëíìîïóòôöúùûüñç', 'AAAAEEEEIIIIOOOOUUUUNCaaaaeeeeiiiioooouuuunc')), 'B')",
                stored: true,
                oldClrType: typeof(NpgsqlTsVector),
                oldType: "tsvector",
                oldNullable: true,
                oldComputedColumnSql: "setweight(to_tsvector(CASE WHEN \"Language\" = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, coalesce(\"Question\", '')), 'A') ||\nsetweight(to_tsvector(CASE WHEN \"Language\" = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, coalesce(\"Answer\", '') || ' ' || coalesce(\"Tags\", '')), 'B')",
                oldStored: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<NpgsqlTsVector>(
                name: "SearchVector",
                table: "KnowledgeEntries",
                type: "tsvector",
                nullable: true,
                computedColumnSql: "setweight(to_tsvector(CASE WHEN \"Language\" = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, coalesce(\"Question\", '')), 'A') ||\nsetweight(to_tsvector(CASE WHEN \"Language\" = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, coalesce(\"Answer\", '') || ' ' || coalesce(\"Tags\", '')), 'B')",
                stored: true,
                oldClrType: typeof(NpgsqlTsVector),
                oldType: "tsvector",
                oldNullable: true,
                oldComputedColumnSql: "setweight(to_tsvector(CASE WHEN \"Language\" = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, translate(coalesce(\"Question\", ''), 'ÁÀÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜÑÇáàâäéèêëíìîïóòôöúùûüñç', 'AAAAEEEEIIIIOOOOUUUUNCaaaaeeeeiiiioooouuuunc')), 'A') ||\nsetweight(to_tsvector(CASE WHEN \"Language\" = 'es' THEN 'spanish'::regconfig ELSE 'english'::regconfig END, translate(coalesce(\"Answer\", '') || ' ' || coalesce(\"Tags\", ''), 'ÁÀÂÄÉÈÊËÍÌÎÏÓÒÔÖÚÙÛÜÑÇáàâäéèêëíìîïóòôöúùûüñç', 'AAAAEEEEIIIIOOOOUUUUNCaaaaeeeeiiiioooouuuunc')), 'B')",
                oldStored: true);
        }
    }
}
