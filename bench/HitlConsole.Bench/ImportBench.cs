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
            var results = new List<BenchResult>
            {
                await ImportAsync(appDll, file, folder, rows, "sqlite3 .import", baseline.Elapsed, log, new()
                {
                    ["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(folder, "app.db")}",
                }),
            };
            if (postgres is null) return results;

            var database = "hitl_import_" + Guid.NewGuid().ToString("N")[..8];
            await AnalyticsBench.PostgresAsync(postgres, $"CREATE DATABASE \"{database}\"");
            try
            {
                var connection = new Npgsql.NpgsqlConnectionStringBuilder(postgres) { Database = database }.ConnectionString;
                var copy = await CopyAsync(connection, file);
                results.Add(await ImportAsync(appDll, file, folder, rows, "PostgreSQL COPY", copy, log, new()
                {
                    ["Database__Provider"] = "Postgres",
                    ["ConnectionStrings__Postgres"] = connection,
                }, " (PostgreSQL)"));
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

    private static async Task<BenchResult> ImportAsync(string appDll, string file, string folder, int rows, string baselineName, TimeSpan baseline,
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
        return new BenchResult($"knowledge import{suffix}: {rows:N0}-row CSV, search index included",
            $"{elapsed / 1000:0.0} s, peak {peak:0} MB", $"{baselineName} {baseline.TotalMilliseconds / 1000:0.00} s", ratio,
            "≤ 6× baseline, < 400 MB", ratio <= 6 && peak < 400);
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
