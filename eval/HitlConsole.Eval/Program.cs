using HitlConsole.Eval;

// dotnet run --project eval/HitlConsole.Eval                      evaluates the built-in model (see docs/quality.md)
// dotnet run --project eval/HitlConsole.Eval -- score eval/everyday-dev-11.csv:en …   scores only the named sets
// dotnet run --project eval/HitlConsole.Eval -- build-demo-data   regenerates the demo knowledge and its vectors
// dotnet run --project eval/HitlConsole.Eval -- learning-curve    drafts improve as corrections are saved as knowledge (docs/quality.md)
// dotnet run --project eval/HitlConsole.Eval -- guardrail          scores the guardrail in process, per class and language
// dotnet run --project eval/HitlConsole.Eval -- guardrail --small-talk  which labelled messages the small-talk exemption reaches (must be no hostile one)
// dotnet run --project eval/HitlConsole.Eval -- guardrail --time     times one scan over the development sets' texts (reads no holdout)
// dotnet run --project eval/HitlConsole.Eval -- guardrail --explain "text" ...   what the shipped guardrail and its model read in each text
var repo = Repository.Root();
return args.FirstOrDefault() switch
{
    "build-demo-data" => await DemoData.BuildAsync(repo),
    "learning-curve" => await LearningCurve.RunAsync(repo, args.Contains("--quick")),
    "guardrail" when args.Contains("--write-vectors") => GuardrailOffline.WriteVectors(repo),
    "guardrail" when args.Contains("--cv") => await GuardrailOffline.CrossValidateAsync(repo, args),
    "guardrail" when args.Contains("--small-talk") => await GuardrailOffline.SmallTalkAsync(repo),
    "guardrail" when args.Contains("--time") => await GuardrailOffline.TimeAsync(repo),
    "guardrail" when args.Contains("--explain") => GuardrailOffline.Explain(args.SkipWhile(a => a != "--explain").Skip(1)),
    // Scoring spends one of a holdout's few scorings: an option it does not know (a typo, "--help") stops instead.
    "guardrail" when args.Skip(1).FirstOrDefault(a => a is not "--misses") is { } unknown =>
        Usage($"guardrail {unknown}"),
    "guardrail" => await GuardrailOffline.RunAsync(repo, args.Contains("--misses")),
    "score" => await Evaluation.ScoreSetsAsync(repo, args.Skip(1)),
    null or "evaluate" => await Evaluation.RunAsync(repo, args.Contains("--quick")),
    var other => Usage(other),
};

static int Usage(string command)
{
    Console.Error.WriteLine($"Unknown command '{command}'. Use 'evaluate' (default), 'score FILE:LANG …', 'learning-curve', 'guardrail' or 'build-demo-data'; " +
        "guardrail takes --misses, --cv …, --small-talk, --time, --explain \"text\" … or --write-vectors.");
    return 2;
}
