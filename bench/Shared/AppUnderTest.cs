using System.Diagnostics;

namespace HitlConsole.Tooling;

/// <summary>
/// The built app as a child process on loopback with its own SQLite file and demo workspace, the way an operator
/// starts it. Shared by the quality evaluation and the benchmarks (linked into both projects).
/// </summary>
public sealed class AppUnderTest : IAsyncDisposable
{
    public const string DemoPassword = "Tooling-Only-2026!";

    private readonly Process _process;

    private AppUnderTest(Process process, string dataDir, Uri baseAddress) => (_process, DataDir, BaseAddress) = (process, dataDir, baseAddress);

    public Uri BaseAddress { get; }
    public int ProcessId => _process.Id;
    public string DataDir { get; }
    public string DatabasePath => Path.Combine(DataDir, "app.db");
    public string SqliteConnectionString => $"Data Source={DatabasePath}";

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HitlConsole.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run this from inside the repository.");
    }

    /// <summary>The app's dll of the same build configuration as the caller (the project reference builds it).</summary>
    public static string AppDll(string repo)
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        return Path.Combine(repo, "HitlConsole", "bin", configuration, "net10.0", "HitlConsole.dll");
    }

    /// <summary>
    /// Publishes the app (Release) into <paramref name="folder"/> and returns its dll: the build output serves the
    /// framework's and packages' browser files only in Development, a published app serves them everywhere.
    /// </summary>
    public static async Task<string> PublishAsync(string repo, string folder)
    {
        var start = new ProcessStartInfo("dotnet", ["publish", Path.Combine(repo, "HitlConsole", "HitlConsole.csproj"), "-c", "Release", "-o", folder,
            "--nologo", "-v", "q", "-p:UseAppHost=false"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException("dotnet publish failed: " + await output + await errors);
        return Path.Combine(folder, "HitlConsole.dll");
    }

    /// <param name="settings">Configuration on top of the defaults, as environment variables (<c>Section__Key</c>).</param>
    /// <param name="dll">The app to start; the build output of the caller's configuration when not given.</param>
    /// <param name="dataDir">The folder of an earlier run to start on again (its database kept); a new one when not given.</param>
    public static async Task<AppUnderTest> StartAsync(string repo, IReadOnlyDictionary<string, string> settings, Action<string>? log = null,
        string? dll = null, string? dataDir = null)
    {
        dataDir ??= Directory.CreateTempSubdirectory("hitl-app-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [dll ?? AppDll(repo), "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDir,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Sqlite"] = $"Data Source={Path.Combine(dataDir, "app.db")}";
        start.Environment["KnowledgeImport__Folder"] = Path.Combine(dataDir, "imports");
        start.Environment["Demo__Enabled"] = "true";
        start.Environment["Demo__Password"] = DemoPassword;
        start.Environment["Serilog__MinimumLevel__Default"] = "Warning";
        foreach (var (key, value) in settings) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) log?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var app = new AppUnderTest(process, dataDir, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = app.BaseAddress };
        await WaitUntilReadyAsync(process, http, "The app", TimeSpan.FromSeconds(120));
        return app;
    }

    /// <summary>
    /// Polls <c>/health/ready</c> until it answers 200. Every 25 ms, for the app and the startup benchmark's bare server alike,
    /// so their start times are read at the same resolution.
    /// </summary>
    public static async Task WaitUntilReadyAsync(Process process, HttpClient http, string what, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{what} exited with code {process.ExitCode} before it was ready.");
            try
            {
                if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            if (watch.Elapsed > limit) throw new TimeoutException($"{what} did not become ready in {limit.TotalSeconds:0} s.");
            await Task.Delay(25);
        }
    }

    /// <summary>
    /// Waits until the app's delayed warm-up (models, the guardrail's training, the search indexes, one compacting collection)
    /// has finished — <c>hitl_warmup_seconds</c> on <c>/metrics</c> above 0 — and then until it has used under a tenth of one
    /// core for two seconds in a row (what it was given to do since is done), at most <paramref name="limit"/>. Returns how
    /// long that took. The quiet part is Linux only (reads <c>/proc</c>).
    /// </summary>
    public async Task<TimeSpan> SettleAsync(TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        using (var http = new HttpClient { BaseAddress = BaseAddress })
            while (watch.Elapsed < limit && !await WarmedUpAsync(http)) await Task.Delay(250);
        if (!OperatingSystem.IsLinux()) return watch.Elapsed;
        var quiet = 0;
        var ticksPerSecond = 100.0; // USER_HZ, 100 on every Linux the runner meets
        var last = CpuTicks(ProcessId);
        while (quiet < 4 && watch.Elapsed < limit)
        {
            await Task.Delay(500);
            var now = CpuTicks(ProcessId);
            quiet = (now - last) / ticksPerSecond / 0.5 < 0.1 ? quiet + 1 : 0;
            last = now;
        }
        return watch.Elapsed;
    }

    private static async Task<bool> WarmedUpAsync(HttpClient http)
    {
        using var response = await http.GetAsync("/metrics");
        if (!response.IsSuccessStatusCode) return true; // metrics off: nothing to wait for but the quiet
        var line = (await response.Content.ReadAsStringAsync()).Split('\n').FirstOrDefault(l => l.StartsWith("hitl_warmup_seconds ", StringComparison.Ordinal));
        return line is null || double.Parse(line.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    /// <summary>User plus system time of a process, in clock ticks (<c>/proc/PID/stat</c>).</summary>
    public static long CpuTicks(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture)
            + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Stops the process and keeps its folder, for a restart on the same database.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
        // HITL_KEEP_APP_DATA=1 keeps the database for a look afterwards (sqlite3, EXPLAIN QUERY PLAN).
        if (Environment.GetEnvironmentVariable("HITL_KEEP_APP_DATA") == "1") Console.Error.WriteLine($"kept {DatabasePath}");
        else try { Directory.Delete(DataDir, recursive: true); } catch (IOException) { }
    }
}
