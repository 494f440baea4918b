namespace HitlConsole.Tests.Support;

public static class Repo
{
    /// <summary>The repository root (the folder holding HitlConsole.sln).</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HitlConsole.sln"))) return dir.FullName;
        throw new InvalidOperationException("HitlConsole.sln not found above the test output.");
    }

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
