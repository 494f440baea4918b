using System.Diagnostics;
using System.Globalization;
using HitlConsole.Bench;

// dotnet run -c Release --project bench/HitlConsole.Bench -- analytics [--rows 1000000] [--quick] [--postgres "Host=…;Username=…"]
var command = args.FirstOrDefault() ?? "analytics";
var quick = args.Contains("--quick");
var rowsAt = Array.IndexOf(args, "--rows");
var rows = rowsAt >= 0 && rowsAt + 1 < args.Length ? int.Parse(args[rowsAt + 1], CultureInfo.InvariantCulture) : quick ? 50_000 : 1_000_000;

switch (command)
{
    case "analytics":
        var pgAt = Array.IndexOf(args, "--postgres");
        await AnalyticsBench.RunAsync(rows, Console.Out, pgAt >= 0 && pgAt + 1 < args.Length ? args[pgAt + 1] : null);
        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark '{command}'; known: analytics");
        return 2;
}
