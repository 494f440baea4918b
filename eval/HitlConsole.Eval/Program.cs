using HitlConsole.Eval;

// dotnet run --project eval/HitlConsole.Eval                      evaluates the built-in model (see docs/quality.md)
// dotnet run --project eval/HitlConsole.Eval -- build-demo-data   regenerates the demo knowledge and its vectors
var repo = Repository.Root();
return args.FirstOrDefault() switch
{
    "build-demo-data" => await DemoData.BuildAsync(repo),
    null or "evaluate" => await Evaluation.RunAsync(repo, args.Contains("--quick")),
    var other => Usage(other),
};

static int Usage(string command)
{
    Console.Error.WriteLine($"Unknown command '{command}'. Use 'evaluate' (default) or 'build-demo-data'.");
    return 2;
}
