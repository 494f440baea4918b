using System.Diagnostics;
using System.Text.Json;
using CsvHelper;
using HitlConsole.Eval;
using HitlConsole.Tooling;

namespace HitlConsole.Bench;

/// <summary>
/// A knowledge CSV of N rows made from the Bitext sample (questions made unique) imported by the app's own path — the
/// <c>import-knowledge</c> command: detection, mapping, validation, duplicate check, batches, FTS5 index — into a fresh
/// SQLite database, against <c>sqlite3 .import</c> of the same file into a bare table in the same run.
/// </summary>
public static class ImportBench
{
    /// <param name="postgres">A PostgreSQL server connection string: the import is then measured there too, in a database
    /// of its own, against <c>COPY … FROM STDIN (FORMAT csv)</c> of the same file into a bare table.</param>
    public static async Task<List<BenchResult>> RunAsync(string appDll, string bitextCsv, bool quick, TextWriter log, string? postgres = null)
    {
        var rows = quick ? 10_000 : 100_000;
        var folder = Directory.CreateTempSubdirectory("hitl-import-").FullName;
        try
        {
            var file = Path.Combine(folder, "knowledge.csv");
            await WriteFileAsync(bitextCsv, file, rows);
            log.WriteLine($"import: {rows:N0} rows, {new FileInfo(file).Length / 1e6:0.0} MB");

            var baseline = Stopwatch.StartNew();
            var sqlite = await RunAsync("sqlite3", [Path.Combine(folder, "baseline.db"), $".import --csv {file} kb"], folder, new());
            baseline.Stop();
            if (sqlite.ExitCode != 0) throw new InvalidOperationException("sqlite3 .import failed: " + sqlite.Output);
            // The app's database in a folder of its own: the app started on it afterwards deletes its folder when it stops.
            var appData = Directory.CreateDirectory(Path.Combine(folder, "app")).FullName;
            var (imported, elapsed) = await ImportAsync(appDll, file, folder, rows, "sqlite3 .import", baseline.Elapsed, log, new()
            {
                ["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(appData, "app.db")}",
            });
            var sameWork = await SameWorkInSqliteAsync(appDll, file, folder);
            log.WriteLine($"import: the same rows and indexes in sqlite3 alone {sameWork.TotalMilliseconds:0} ms");
            var results = new List<BenchResult>
            {
                imported,
                new($"knowledge import: the database's own share ({rows:N0} rows into the app's schema, its indexes and full-text index, one transaction)",
                    $"app {elapsed / 1000:0.0} s", $"sqlite3 alone {sameWork.TotalSeconds:0.00} s ({sameWork / baseline.Elapsed:0.0}× .import)",
                    elapsed / sameWork.TotalMilliseconds, "reported (no goal)", null),
                await SearchableByMeaningAsync(appDll, bitextCsv, appData, quick, log),
            };
            if (postgres is null) return results;

            var database = "hitl_import_" + Guid.NewGuid().ToString("N")[..8];
            await AnalyticsBench.PostgresAsync(postgres, $"CREATE DATABASE \"{database}\"");
            try
            {
                var connection = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
                var copy = await CopyAsync(connection, file);
                results.Add((await ImportAsync(appDll, file, folder, rows, "PostgreSQL COPY", copy, log, new()
                {
                    ["Database__Provider"] = "Postgres",
                    ["ConnectionStrings__Postgres"] = connection,
                }, " (PostgreSQL)")).Result);
            }
            finally
            {
                Npgsql.NpgsqlConnection.ClearAllPools();
                await AnalyticsBench.PostgresAsync(postgres, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
            }
            return results;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<(BenchResult Result, double ElapsedMs)> ImportAsync(string appDll, string file, string folder, int rows, string baselineName, TimeSpan baseline,
        TextWriter log, Dictionary<string, string> database, string suffix = "")
    {
        var environment = new Dictionary<string, string>(database)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["KnowledgeImport__Folder"] = Path.Combine(folder, suffix.Length == 0 ? "imports" : "imports-postgres"),
            ["Demo__Enabled"] = "true",
            ["Demo__Password"] = AppUnderTest.DemoPassword,
            ["Serilog__MinimumLevel__Default"] = "Warning",
        };
        var app = await RunAsync("dotnet", [appDll, "import-knowledge", "--file", file, "--workspace", "Demo Support"], folder, environment);
        var summary = app.Output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{') && l.Contains("elapsedMs"))
            ?? throw new InvalidOperationException("the import printed no summary: " + app.Output);
        using var json = JsonDocument.Parse(summary);
        var elapsed = json.RootElement.GetProperty("elapsedMs").GetDouble();
        var peak = json.RootElement.GetProperty("peakWorkingSetMb").GetDouble();
        var ratio = elapsed / baseline.TotalMilliseconds;
        log.WriteLine($"import{suffix}: app {elapsed:0} ms (peak {peak:0} MB), {baselineName} {baseline.TotalMilliseconds:0} ms — {summary}");
        return (new BenchResult($"knowledge import{suffix}: {rows:N0}-row CSV, search index included",
            $"{elapsed / 1000:0.0} s, peak {peak:0} MB", $"{baselineName} {baseline.TotalMilliseconds / 1000:0.00} s", ratio,
            "≤ 6× baseline, < 400 MB", ratio <= 6 && peak < 400), elapsed);
    }

    /// <summary>
    /// What SQLite itself needs for the database's share of an import: the same file, through the sqlite3 shell's own CSV reader
    /// into a temporary table, then into the knowledge table of a database the app prepared (its indexes, the unique content
    /// hash, the full-text index built in one statement), all in one transaction. No mapping, language guess or hashing of
    /// ours (ids and hashes are random), no batches: the floor for an import that leaves the rows searchable by their words.
    /// </summary>
    private static async Task<TimeSpan> SameWorkInSqliteAsync(string appDll, string file, string folder)
    {
        var data = Directory.CreateDirectory(Path.Combine(folder, "same-work")).FullName;
        var one = Path.Combine(data, "one.csv");
        await File.WriteAllTextAsync(one, "question,answer\nWhere is my order?,It left our warehouse today.\n");
        var database = Path.Combine(data, "app.db");
        var prepared = await RunAsync("dotnet", [appDll, "import-knowledge", "--file", one, "--workspace", "Demo Support"], folder, new()
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["KnowledgeImport__Folder"] = Path.Combine(data, "imports"),
            ["Demo__Enabled"] = "true",
            ["Demo__Password"] = AppUnderTest.DemoPassword,
            ["Serilog__MinimumLevel__Default"] = "Warning",
            ["ConnectionStrings__Sqlite"] = $"Data Source={database}",
        });
        if (prepared.ExitCode != 0) throw new InvalidOperationException("the app did not prepare its database: " + prepared.Output);
        var watch = Stopwatch.StartNew();
        var sqlite = await RunAsync("sqlite3", [database,
            "PRAGMA cache_size = -32768", "PRAGMA temp_store = MEMORY", // the import's own settings (SqliteBulkInsert)
            $".import --csv --schema temp {file} staged",
            "BEGIN",
            """
            INSERT INTO KnowledgeEntries (Id, TenantId, Question, Answer, Category, Intent, Tags, Language, Active, Preferred, SourceImportId,
                                          ContentHash, Embedding, Version, CreatedUtc, UpdatedUtc)
            SELECT upper(hex(randomblob(16))), (SELECT Id FROM Tenants WHERE Name = 'Demo Support'), question, answer, category, intent, NULL, 'en',
                   1, 0, 'bench', hex(randomblob(32)), NULL, 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00'
            FROM temp.staged WHERE true ON CONFLICT DO NOTHING
            """,
            "INSERT INTO KnowledgeSearch(rowid, Question, Answer, Tags) SELECT rowid, Question, Answer, Tags FROM KnowledgeEntries WHERE SourceImportId = 'bench'",
            "COMMIT"], folder, new());
        watch.Stop();
        if (sqlite.ExitCode != 0 || sqlite.Output.Contains("Error", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException("sqlite3 failed: " + sqlite.Output);
        return watch.Elapsed;
    }

    /// <summary>
    /// After the import the rows are found by their words at once; by meaning once the app's embedding sweep has given them
    /// vectors, in the background and below request priority. Measured by starting the app on the imported database and
    /// counting the entries still without a vector over a window, against MiniLM alone (one thread, batches of the sweep's
    /// size) embedding the same kind of questions in this process, in the same run, before the app starts.
    /// </summary>
    private static async Task<BenchResult> SearchableByMeaningAsync(string appDll, string bitextCsv, string appData, bool quick, TextWriter log)
    {
        const int batch = 64; // EmbeddingOptions.BatchSize's default
        var questions = (await Dataset.ReadBitextAsync(bitextCsv)).Select(r => r.Instruction).Take(quick ? 640 : 2560).ToList();
        double raw;
        using (var embedder = new HitlConsole.Infrastructure.Embeddings.MiniLmEmbedder())
        {
            embedder.Embed(questions.Take(batch).ToList()); // loads the model
            var watch = Stopwatch.StartNew();
            foreach (var chunk in questions.Chunk(batch)) embedder.Embed(chunk);
            raw = questions.Count / watch.Elapsed.TotalSeconds;
        }

        var window = TimeSpan.FromSeconds(quick ? 15 : 60);
        var since = Stopwatch.StartNew();
        await using var app = await AppUnderTest.StartAsync(AppUnderTest.RepositoryRoot(), new Dictionary<string, string>(), dll: appDll, dataDir: appData);
        var ready = since.Elapsed;
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(appData, "app.db")};Mode=ReadOnly");
        await db.OpenAsync();
        async Task<long> WithoutVectorAsync()
        {
            await using var count = db.CreateCommand();
            count.CommandText = "SELECT count(*) FROM KnowledgeEntries WHERE Embedding IS NULL";
            return (long)(await count.ExecuteScalarAsync())!;
        }

        var total = await WithoutVectorAsync();
        var waiting = Stopwatch.StartNew();
        long start;
        while ((start = await WithoutVectorAsync()) == total && waiting.Elapsed < TimeSpan.FromMinutes(2)) await Task.Delay(250);
        var first = since.Elapsed;
        var measured = Stopwatch.StartNew();
        await Task.Delay(window);
        var done = start - await WithoutVectorAsync();
        var rate = done / measured.Elapsed.TotalSeconds;
        var note = $"app ready {ready.TotalSeconds:0.0} s after start, first vectors after {first.TotalSeconds:0.0} s (start-up warm-up first); " +
                   $"{done:N0} entries embedded in {measured.Elapsed.TotalSeconds:0} s";
        log.WriteLine($"import: searchable by meaning — {rate:0} entries/s against MiniLM alone {raw:0}/s; {note}");
        return new BenchResult($"knowledge import: searchable by meaning ({total:N0} imported entries without a vector)",
            rate > 0 ? $"{rate:0} entries/s, all in ≈ {total / rate / 60:0.0} min" : "no vectors written", $"MiniLM alone {raw:0} entries/s",
            raw > 0 ? rate / raw : null, "reported (no goal)", null, note);
    }

    /// <summary>The file into a bare table with PostgreSQL's own CSV reader, streamed as psql's <c>\copy</c> does.</summary>
    private static async Task<TimeSpan> CopyAsync(string connection, string file)
    {
        await using var db = new Npgsql.NpgsqlConnection(connection);
        await db.OpenAsync();
        await using (var create = new Npgsql.NpgsqlCommand("CREATE TABLE kb (question text, answer text, category text, intent text)", db))
            await create.ExecuteNonQueryAsync();
        var watch = Stopwatch.StartNew();
        await using (var copy = await db.BeginTextImportAsync("COPY kb FROM STDIN (FORMAT csv, HEADER true)"))
        using (var source = File.OpenText(file))
        {
            var buffer = new char[1 << 16];
            int read;
            while ((read = await source.ReadAsync(buffer)) > 0) await copy.WriteAsync(buffer, 0, read);
        }
        return watch.Elapsed;
    }

    private static async Task WriteFileAsync(string bitextCsv, string path, int rows)
    {
        var source = await Dataset.ReadBitextAsync(bitextCsv);
        await using var csv = CsvWriter.Create(File.Create(path), CsvWriterOptions.Default, leaveOpen: false);
        await csv.WriteRecordAsync(["question", "answer", "category", "intent"], default);
        for (var i = 0; i < rows; i++)
        {
            var row = source[i % source.Count];
            var variant = i / source.Count;
            await csv.WriteRecordAsync([variant == 0 ? row.Instruction : $"{row.Instruction} (variant {variant})", row.Response, row.Category, row.Intent], default);
        }
        await csv.FlushAsync(default);
    }

    private sealed record ProcessResult(int ExitCode, string Output);

    private static async Task<ProcessResult> RunAsync(string file, string[] args, string workingDirectory, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        foreach (var (k, v) in environment) start.Environment[k] = v;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new ProcessResult(process.ExitCode, await stdout + await stderr);
    }
}
