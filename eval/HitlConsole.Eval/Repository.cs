namespace HitlConsole.Eval;

public static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HitlConsole.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run the evaluation from inside the repository.");
    }

    /// <summary>The Bitext sample lives beside the repository; the demo copy inside the app carries its own LICENSE.</summary>
    public static string BitextPath(string repo)
    {
        var candidates = new[]
        {
            Environment.GetEnvironmentVariable("HITL_BITEXT_CSV"),
            Path.Combine(repo, "..", "shared", "datasets", "bitext", "customer_support_intents.csv"),
            Path.Combine(repo, "eval", "data", "bitext", "customer_support_intents.csv"),
        };
        return candidates.FirstOrDefault(p => p is not null && File.Exists(p))
            ?? throw new FileNotFoundException("The Bitext dataset was not found; set HITL_BITEXT_CSV to customer_support_intents.csv.");
    }
}
