using HitlConsole.Features.Ai;

namespace HitlConsole.Tests.Features.Pipeline;

public sealed class SafetyModelCacheTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("hitl-safety-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, DateTime writtenUtc)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, [1, 2, 3]);
        File.SetLastWriteTimeUtc(path, writtenUtc);
        return path;
    }

    [Fact]
    public void A_build_removes_the_weights_other_builds_left_behind_but_not_a_fresh_one_nor_other_files()
    {
        var now = new DateTime(2026, 12, 5, 12, 0, 0, DateTimeKind.Utc);
        var own = Write("safety-model-own.bin", now);
        var old = Write("safety-model-old.bin", now.AddDays(-3));
        var starting = Write("safety-model-starting.bin", now.AddMinutes(-10));
        var unrelated = Write("guardrail-eval-vectors.bin", now.AddDays(-3));

        Assert.Equal(1, SafetyModel.RemoveOtherBuilds(own, now));

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(own));
        Assert.True(File.Exists(starting));
        Assert.True(File.Exists(unrelated));
    }
}
