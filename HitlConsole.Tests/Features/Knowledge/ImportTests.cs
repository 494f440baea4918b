using System.Net.Http.Json;
using System.Text;
using HitlConsole.Domain;
using HitlConsole.Features.Knowledge;
using HitlConsole.Features.Knowledge.Import;
using HitlConsole.Infrastructure.Data;
using HitlConsole.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace HitlConsole.Tests.Features.Knowledge;

public sealed class ImportParsingTests
{
    private static async Task<(ImportFileShape Shape, List<ImportRecord> Rows)> ReadAsync(byte[] bytes)
    {
        var shape = await ImportFormat.DetectAsync(new MemoryStream(bytes), default);
        var rows = new List<ImportRecord>();
        await foreach (var r in ImportRecords.ReadAsync(new MemoryStream(bytes), shape, default)) rows.Add(r);
        return (shape, rows);
    }

    [Theory]
    [InlineData(',')]
    [InlineData(';')]
    [InlineData('\t')]
    [InlineData('|')]
    public async Task The_delimiter_is_detected_and_quoted_multiline_fields_survive(char d)
    {
        var text = $"question{d}answer{d}intent{d}\n\"Where, is; my|order?\"{d}\"Line one\nline \"\"two\"\"\"{d}track_order{d}\n\n  \nplain{d}text{d}x{d}\n";
        var (shape, rows) = await ReadAsync(Encoding.UTF8.GetBytes(text));

        Assert.Equal((ImportFileFormat.Csv, d), (shape.Format, shape.Delimiter));
        Assert.Equal(2, rows.Count);
        Assert.Equal("Where, is; my|order?", rows[0].Fields["question"]);
        Assert.Equal("Line one\nline \"two\"", rows[0].Fields["answer"]);
        Assert.Equal(["question", "answer", "intent"], rows[0].Fields.Keys); // the trailing delimiter's empty column is ignored
        Assert.Equal(2, rows[1].Row);
    }

    [Fact]
    public async Task A_row_with_a_broken_quote_or_more_fields_than_the_header_is_reported_instead_of_imported_as_junk()
    {
        const string text = "question,answer\nWhere is my order?,It ships today\n\"a\",\"b\",\"c\",\"d\"\nGood row,Fine\nShort row only\n"
            + "\"Unclosed,quote here\nNext question,Next answer\n";
        var (_, rows) = await ReadAsync(Encoding.UTF8.GetBytes(text));

        Assert.Equal(5, rows.Count); // the unclosed quote swallowed the last line: what the error warns of
        Assert.Equal([null, "ImportRowExtraFields", null, null, "ImportRowMalformedQuotes"], rows.Select(r => r.Error));
    }

    [Fact]
    public void Intents_and_categories_written_by_the_names_the_console_shows_are_stored_by_their_codes()
    {
        var mapping = new ColumnMapping(new Dictionary<KnowledgeField, string>
        {
            [KnowledgeField.Question] = "q", [KnowledgeField.Answer] = "a", [KnowledgeField.Intent] = "i", [KnowledgeField.Category] = "c",
        });
        (string?, string?) Stored(string intent, string category)
        {
            var input = RowMapper.Map(new ImportRecord(1, new Dictionary<string, string?>
            {
                ["q"] = "Me cobraron dos veces", ["a"] = "Lo revisamos y te devolvemos el cargo repetido.", ["i"] = intent, ["c"] = category,
            }), mapping, "es").Input!;
            return (input.Intent, input.Category);
        }

        Assert.Equal(("payment_issue", "PAYMENT"), Stored("Problema con el pago", "Pagos")); // the Spanish grid's names
        Assert.Equal(("payment_issue", "PAYMENT"), Stored("Payment issue", "Payment")); // the English grid's
        Assert.Equal(("payment_issue", "PAYMENT"), Stored(" PROBLEMA CON EL PAGO ", "pagos")); // case and spaces
        Assert.Equal(("payment_issue", "PAYMENT"), Stored("payment_issue", "PAYMENT")); // codes stay codes
        Assert.Equal(("cobros_dobles", "Facturación propia"), Stored("cobros_dobles", "Facturación propia")); // a workspace's own
        Assert.Equal(("payment_issue", "PAYMENT"), Stored("Problema con el pago", " ")); // no category: the support intent's
        Assert.Equal(("cobros_dobles", null), Stored("cobros_dobles", "")); // a workspace's own intent has none to lend
    }

    [Fact]
    public async Task Encodings_are_recognised_by_bom_and_windows_1252_is_the_fallback()
    {
        const string text = "pregunta,respuesta\n¿Dónde está mi pedido?,Mañana llega\n";
        var utf8Bom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        var utf16 = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(text)).ToArray();
        var cp1252 = ImportFormat.Windows1252.GetBytes(text);

        foreach (var (bytes, name) in new[] { (utf8Bom, "UTF-8 (BOM)"), (utf16, "UTF-16 LE"), (cp1252, "Windows-1252"), (Encoding.UTF8.GetBytes(text), "UTF-8") })
        {
            var (shape, rows) = await ReadAsync(bytes);
            Assert.Equal(name, shape.EncodingName);
            Assert.Equal("¿Dónde está mi pedido?", rows.Single().Fields["pregunta"]);
            Assert.Equal("Mañana llega", rows.Single().Fields["respuesta"]);
        }
    }

    [Fact]
    public async Task Json_arrays_and_json_lines_are_read_row_by_row_with_bad_rows_reported()
    {
        var (arrayShape, array) = await ReadAsync(Encoding.UTF8.GetBytes("""  [{"question":"q1","answer":"a1","tags":["x","y"]}, 5, {"question":"q2","answer":null}]"""));
        Assert.Equal(ImportFileFormat.JsonArray, arrayShape.Format);
        Assert.Equal("x,y", array[0].Fields["tags"]);
        Assert.Equal("ImportRowNotObject", array[1].Error);
        Assert.Null(array[2].Fields["answer"]);

        var (linesShape, lines) = await ReadAsync(Encoding.UTF8.GetBytes("{\"question\":\"q1\",\"answer\":\"a1\"}\n\n{broken\n{\"question\":\"q3\",\"answer\":\"a3\"}\n"));
        Assert.Equal(ImportFileFormat.JsonLines, linesShape.Format);
        Assert.Equal([null, "ImportRowBadJson", null], lines.Select(l => l.Error));
    }

    [Fact]
    public async Task A_huge_field_makes_its_row_invalid_and_the_next_rows_still_read()
    {
        var huge = new string('x', ImportRecords.MaxFieldLength + 1);
        var (_, rows) = await ReadAsync(Encoding.UTF8.GetBytes($"question,answer\nfine,ok\n\"{huge}\",too long\nnext,row\n"));

        Assert.Equal([null, "ImportRowFieldTooLong", null], rows.Select(r => r.Error));
        Assert.Equal("next", rows[2].Fields["question"]);
        var mapped = RowMapper.Map(rows[1], ColumnMapping.Suggest(["question", "answer"]), "en");
        Assert.Equal("ImportRowFieldTooLong", mapped.Error);
    }

    [Fact]
    public void Common_headers_in_english_and_spanish_are_mapped()
    {
        var bitext = ColumnMapping.Suggest(["context", "role", "instruction", "intent", "entity_type", "category", "tags", "response"]);
        Assert.Equal("instruction", bitext.ColumnFor(KnowledgeField.Question));
        Assert.Equal("response", bitext.ColumnFor(KnowledgeField.Answer));
        Assert.Equal("intent", bitext.ColumnFor(KnowledgeField.Intent));
        Assert.Equal("tags", bitext.ColumnFor(KnowledgeField.Tags));

        var spanish = ColumnMapping.Suggest(["Pregunta", "Respuesta", "Categoría", "Idioma"]);
        Assert.Equal(["Pregunta", "Respuesta", "Categoría", "Idioma"],
            new[] { KnowledgeField.Question, KnowledgeField.Answer, KnowledgeField.Category, KnowledgeField.Language }.Select(f => spanish.ColumnFor(f)));
        Assert.False(ColumnMapping.Suggest(["foo", "bar"]).IsComplete);
    }
}

/// <summary>The import job on both databases: append, re-run, upsert, replace that fails half way, cancel, one at a time, round trip.</summary>
public sealed class ImportJobTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.Providers;

    private static async Task<(Guid Tenant, string Admin)> AdminAsync(HitlAppFactory app)
    {
        var tenant = await app.Services.DemoTenantIdAsync();
        return (tenant, await app.Services.UserIdAsync(tenant, DemoUsers.Admin));
    }

    private static async Task<(KnowledgeImport Import, ImportPreview Preview)> ImportAsync(HitlAppFactory app, byte[] file, ImportMode mode,
        KnowledgeField? key = null, Action<Guid>? beforeRun = null)
    {
        var (tenant, admin) = await AdminAsync(app);
        await using var scope = app.Services.ForTenant(tenant, admin);
        var start = scope.ServiceProvider.GetRequiredService<StartImport>();
        var preview = await start.UploadAsync("knowledge.csv", new MemoryStream(file), default);
        Assert.IsType<StartImport.QueueResult.Queued>(await start.QueueAsync(preview.ImportId, preview.Suggested, mode, key, "en", default));
        beforeRun?.Invoke(preview.ImportId);
        await scope.ServiceProvider.GetRequiredService<RunImport>().HandleAsync(preview.ImportId, default);
        return ((await start.GetAsync(preview.ImportId, default))!, preview);
    }

    private static async Task<int> CountAsync(HitlAppFactory app)
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        return await db.KnowledgeEntries.IgnoreQueryFilters().CountAsync();
    }

    private static readonly byte[] Small = Encoding.UTF8.GetBytes(
        "question;answer;category;intent\n" +
        "Do you ship to Canada?;Yes, in 5 to 8 working days.;DELIVERY;delivery_options\n" +
        "Can I pay in instalments?;Yes, in three payments without interest.;PAYMENT;check_payment_methods\n" +
        ";An answer without a question;X;y\n" +
        "DO YOU SHIP TO CANADA?;yes, in 5 to 8 working days.;DELIVERY;delivery_options\n" +
        "Is there a student discount?;\"10 % with a valid card;\nask in store\";PAYMENT;check_payment_methods\n");

    [Theory, MemberData(nameof(Providers))]
    public async Task Appending_reports_every_row_and_the_same_file_twice_changes_nothing(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var before = await CountAsync(app);

        var (first, preview) = await ImportAsync(app, Small, ImportMode.Append);

        Assert.Equal(';', preview.Shape.Delimiter);
        Assert.Equal((ImportStatus.Completed, 5L, 3L, 0L, 1L, 1L), (first.Status, first.RowsRead, first.Inserted, first.Updated, first.Duplicates, first.Invalid));
        Assert.Contains("\"row\":3", first.Errors);
        Assert.Contains("KnowledgeErrorQuestion", first.Errors);
        Assert.Equal(before + 3, await CountAsync(app));
        Assert.False(File.Exists(first.FilePath));

        var (second, _) = await ImportAsync(app, Small, ImportMode.Append);
        Assert.Equal((0L, 4L), (second.Inserted, second.Duplicates));
        Assert.Equal(before + 3, await CountAsync(app));
    }

    [Fact]
    public async Task Imported_rows_enter_the_full_text_index_once_and_it_stays_consistent_through_edits_and_deletes()
    {
        await using var app = await HitlAppFactory.CreateAsync(DatabaseProvider.Sqlite);
        // More than one batch: each batch adds its rows to the index in one statement, the insert trigger leaves them alone.
        var csv = "question,answer\n" + string.Join("\n", Enumerable.Range(1, 2500).Select(i => $"Bulk question {i} about zeppelins?,Bulk answer {i}."));

        var (result, _) = await ImportAsync(app, Encoding.UTF8.GetBytes(csv), ImportMode.Append);

        Assert.Equal(2500L, result.Inserted);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal(2500, await MatchesAsync(db, "zeppelins"));
        var edited = await db.KnowledgeEntries.IgnoreQueryFilters().SingleAsync(e => e.Question == "Bulk question 1 about zeppelins?");
        edited.Question = "Bulk question 1 about airships?";
        await db.SaveChangesAsync();
        await db.KnowledgeEntries.IgnoreQueryFilters().Where(e => e.Question == "Bulk question 2 about zeppelins?").ExecuteDeleteAsync();
        // A row written by hand still goes through the trigger.
        db.KnowledgeEntries.Add(new KnowledgeEntry
        {
            TenantId = edited.TenantId, Question = "Do zeppelins fly by hand?", Answer = "Only in tests.", ContentHash = "by-hand", Language = "en",
            CreatedUtc = edited.CreatedUtc, UpdatedUtc = edited.UpdatedUtc,
        });
        await db.SaveChangesAsync();

        Assert.Equal(2499, await MatchesAsync(db, "zeppelins"));
        Assert.Equal(1, await MatchesAsync(db, "airships"));
        // FTS5 compares its index with the rows it was built from; a row indexed twice or never fails this.
        await db.Database.ExecuteSqlRawAsync("INSERT INTO KnowledgeSearch(KnowledgeSearch, rank) VALUES ('integrity-check', 1)");
    }

    private static Task<int> MatchesAsync(HitlDbContext db, string word) =>
        db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM KnowledgeSearch WHERE KnowledgeSearch MATCH {0}", word).SingleAsync();

    [Theory, MemberData(nameof(Providers))]
    public async Task Upsert_by_question_updates_the_matching_entry(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        await ImportAsync(app, Small, ImportMode.Append);

        var changed = Encoding.UTF8.GetBytes("question,answer,intent\nDo you ship to Canada?,\"Yes, in 3 to 5 working days now.\",delivery_options\nNew question?,New answer.,x\n");
        var (result, _) = await ImportAsync(app, changed, ImportMode.Upsert, KnowledgeField.Question);

        Assert.Equal((1L, 1L), (result.Updated, result.Inserted));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        var entry = await db.KnowledgeEntries.IgnoreQueryFilters().SingleAsync(e => e.Question == "Do you ship to Canada?");
        Assert.Equal("Yes, in 3 to 5 working days now.", entry.Answer);
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_preferred_column_marks_the_preferred_answers_and_an_upsert_without_it_keeps_the_marks(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var marked = Encoding.UTF8.GetBytes("pregunta,respuesta,preferente\n¿Enviáis a Canarias?,\"Sí, en 5 a 8 días.\",sí\n¿Puedo pagar a plazos?,En tres pagos sin intereses.,\n");

        var (first, preview) = await ImportAsync(app, marked, ImportMode.Append);
        Assert.Equal("preferente", preview.Suggested.ColumnFor(KnowledgeField.Preferred));
        Assert.Equal(2L, first.Inserted);
        Assert.Equal([("¿Enviáis a Canarias?", true), ("¿Puedo pagar a plazos?", false)], await MarksAsync(app));

        var (second, _) = await ImportAsync(app, Encoding.UTF8.GetBytes("pregunta,respuesta\n¿Enviáis a Canarias?,\"Sí, en 3 a 5 días.\"\n"),
            ImportMode.Upsert, KnowledgeField.Question);
        Assert.Equal(1L, second.Updated);
        Assert.Equal([("¿Enviáis a Canarias?", true), ("¿Puedo pagar a plazos?", false)], await MarksAsync(app));

        static async Task<List<(string, bool)>> MarksAsync(HitlAppFactory app)
        {
            await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
            return (await db.KnowledgeEntries.IgnoreQueryFilters().Where(e => e.Question == "¿Enviáis a Canarias?" || e.Question == "¿Puedo pagar a plazos?")
                .OrderBy(e => e.Question).Select(e => new { e.Question, e.Preferred }).ToListAsync()).Select(e => (e.Question, e.Preferred)).ToList();
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task A_replace_that_fails_half_way_leaves_the_previous_knowledge_intact(DatabaseProvider provider)
    {
        await using var app = await HitlAppFactory.CreateAsync(provider);
        var before = await CountAsync(app);
        // 2,500 good rows (more than one batch is written inside the transaction), then the JSON breaks.
        var json = "[" + string.Join(",", Enumerable.Range(1, 2500).Select(i => $"{{\"question\":\"Replacement question {i}\",\"answer\":\"Answer {i}\"}}")) + ", {\"question\": oops";

        var (result, _) = await ImportAsync(app, Encoding.UTF8.GetBytes(json), ImportMode.Replace);

        Assert.Equal(ImportStatus.Failed, result.Status);
        Assert.Equal("ImportFailedUnreadable", result.FailureReason);
        Assert.Equal(0, result.Deleted); // the delete was rolled back with the rest
        Assert.Equal(before, await CountAsync(app));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.False(await db.KnowledgeEntries.IgnoreQueryFilters().AnyAsync(e => e.Question.StartsWith("Replacement question")));

        var good = Encoding.UTF8.GetBytes("question,answer\nOnly entry?,Only answer.\n");
        var (replaced, _) = await ImportAsync(app, good, ImportMode.Replace);
        Assert.Equal(ImportStatus.Completed, replaced.Status);
        Assert.Equal(before, replaced.Deleted);
        Assert.Equal(1, await CountAsync(app));
    }

    [Fact]
    public async Task A_cancelled_import_stops_and_a_second_import_waits_its_turn()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var before = await CountAsync(app);
        var (tenant, admin) = await AdminAsync(app);

        var (cancelled, _) = await ImportAsync(app, Small, ImportMode.Replace, beforeRun: id =>
        {
            using var scope = app.Services.ForTenant(tenant, admin);
            scope.ServiceProvider.GetRequiredService<StartImport>().RequestCancelAsync(id, default).GetAwaiter().GetResult();
        });
        Assert.Equal(ImportStatus.Cancelled, cancelled.Status);
        Assert.Equal(0, cancelled.Deleted);
        Assert.Equal(before, await CountAsync(app));

        await using var s = app.Services.ForTenant(tenant, admin);
        var start = s.ServiceProvider.GetRequiredService<StartImport>();
        var one = await start.UploadAsync("a.csv", new MemoryStream(Small), default);
        var two = await start.UploadAsync("b.csv", new MemoryStream(Small), default);
        Assert.IsType<StartImport.QueueResult.Queued>(await start.QueueAsync(one.ImportId, one.Suggested, ImportMode.Append, null, "en", default));
        Assert.IsType<StartImport.QueueResult.Busy>(await start.QueueAsync(two.ImportId, two.Suggested, ImportMode.Append, null, "en", default));
        Assert.IsType<StartImport.QueueResult.Invalid>(await start.QueueAsync(two.ImportId, new ColumnMapping(new Dictionary<KnowledgeField, string>()), ImportMode.Append, null, "en", default));
    }

    [Fact]
    public async Task Export_then_import_reproduces_the_entries_including_formula_like_text()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var (tenant, admin) = await AdminAsync(app);
        await using (var scope = app.Services.ForTenant(tenant, admin))
        {
            var manage = scope.ServiceProvider.GetRequiredService<ManageKnowledge>();
            await manage.CreateAsync(new KnowledgeInput { Question = "=1+1 is what?", Answer = "-2, said nobody", Intent = "zz_roundtrip", Tags = "@home", Language = "es", Active = false }, default);
            await manage.CreateAsync(new KnowledgeInput { Question = "Plain, \"quoted\" question", Answer = "Line one\nLine two", Intent = "zz_roundtrip", Language = "en" }, default);
        }
        var client = await FormPoster.SignedInClientAsync(app, DemoUsers.Admin, HitlAppFactory.DemoPassword);
        var csv = await client.GetByteArrayAsync("/knowledge/export?format=csv&intent=zz_roundtrip");
        List<(string, string, string?, string?, string, bool)> Snapshot(HitlDbContext db) => db.KnowledgeEntries.IgnoreQueryFilters()
            .Where(e => e.Intent == "zz_roundtrip").OrderBy(e => e.Question).AsEnumerable()
            .Select(e => (e.Question, e.Answer, e.Intent, e.Tags, e.Language, e.Active)).ToList();
        List<(string, string, string?, string?, string, bool)> original;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            original = Snapshot(db);
            await db.KnowledgeEntries.IgnoreQueryFilters().Where(e => e.Intent == "zz_roundtrip").ExecuteDeleteAsync();
        }

        var (result, preview) = await ImportAsync(app, csv, ImportMode.Append);

        Assert.Equal(2L, result.Inserted);
        Assert.True(preview.Suggested.ColumnFor(KnowledgeField.Active) is not null);
        await using var after = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal(original, Snapshot(after));
    }
}

public sealed class ImportHousekeepingTests
{
    [Fact]
    public async Task Uploads_left_at_the_preview_are_purged_after_a_day_and_queued_ones_are_kept()
    {
        await using var app = await HitlAppFactory.CreateAsync();
        var tenant = await app.Services.DemoTenantIdAsync();
        ImportPreview abandoned, fresh;
        await using (var scope = app.Services.ForTenant(tenant))
        {
            var start = scope.ServiceProvider.GetRequiredService<StartImport>();
            abandoned = await start.UploadAsync("old.csv", new MemoryStream(Encoding.UTF8.GetBytes("question,answer\nq,a\n")), default);
            fresh = await start.UploadAsync("new.csv", new MemoryStream(Encoding.UTF8.GetBytes("question,answer\nq,a\n")), default);
        }
        string oldPath;
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync())
        {
            oldPath = await db.KnowledgeImports.IgnoreQueryFilters().Where(i => i.Id == abandoned.ImportId).Select(i => i.FilePath).SingleAsync();
            await db.KnowledgeImports.IgnoreQueryFilters().Where(i => i.Id == abandoned.ImportId)
                .ExecuteUpdateAsync(s => s.SetProperty(i => i.CreatedUtc, DateTime.UtcNow.AddDays(-2)));
        }

        Assert.Equal(1, await app.Services.GetRequiredService<PurgeAbandonedImports>().HandleAsync(default));

        Assert.False(File.Exists(oldPath));
        await using var check = await app.Services.GetRequiredService<IDbContextFactory<HitlDbContext>>().CreateDbContextAsync();
        Assert.Equal([fresh.ImportId], await check.KnowledgeImports.IgnoreQueryFilters().Select(i => i.Id).ToListAsync());
    }
}
