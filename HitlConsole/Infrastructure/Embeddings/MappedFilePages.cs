using System.Globalization;
using System.Runtime.InteropServices;

namespace HitlConsole.Infrastructure.Embeddings;

/// <summary>
/// The runtime maps an assembly's whole file read-only and shared. The embedding model's assembly is 91 MB, almost all of
/// it the ONNX model that is read once into ONNX Runtime's own memory; its pages would otherwise stay resident (and in the
/// process's memory figures) for the process's life. Dropping them is safe because the mapping is read-only and shared:
/// nothing in it can differ from the file, and a later read faults the page back in from the page cache.
/// </summary>
public static partial class MappedFilePages
{
    private const int MadvDontNeed = 4;

    /// <summary>Drops the resident pages of every read-only shared mapping of <paramref name="path"/>; returns the bytes advised.</summary>
    public static long Release(string path)
    {
        if (!OperatingSystem.IsLinux() || string.IsNullOrEmpty(path)) return 0;
        try
        {
            long released = 0;
            foreach (var (start, end) in ReadOnlySharedMappings(File.ReadLines("/proc/self/maps"), Path.GetFullPath(path)))
                if (Advise((nint)start, (nuint)(end - start), MadvDontNeed) == 0) released += end - start;
            return released;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>The address ranges of <c>/proc/self/maps</c> lines that map <paramref name="path"/> as <c>r--s</c>.</summary>
    internal static IEnumerable<(long Start, long End)> ReadOnlySharedMappings(IEnumerable<string> mapsLines, string path)
    {
        foreach (var line in mapsLines)
        {
            // "start-end perms offset dev inode path": the path is the rest of the line and may hold spaces.
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 6 || fields[1] != "r--s" || fields[5].Trim() != path) continue;
            var range = fields[0].Split('-');
            yield return (long.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                          long.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
    }

    // DllImport rather than LibraryImport: blittable arguments need no marshalling, and the app needs no unsafe code for it.
    [DllImport("libc", EntryPoint = "madvise")]
    private static extern int Advise(nint address, nuint length, int advice);
}
