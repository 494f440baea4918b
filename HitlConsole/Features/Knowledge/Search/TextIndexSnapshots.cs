using System.Security.Cryptography;
using System.Text;
using Lucene.Net.Store;
using IODirectory = System.IO.Directory;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace HitlConsole.Features.Knowledge.Search;

/// <summary>
/// Built text indexes kept on disk, so a restart, a second instance on the same machine or another app in the same process
/// loads a workspace's index instead of analysing every entry again (the demo's 3,661 entries: ≈ 2.8 s of a core; minutes
/// at 100,000). A snapshot is named by what it holds, a hash of every active entry's id, text and language, so an entry
/// changed since can never be served from it. Snapshots live in the temp folder under this build's module id (another build
/// may analyse text differently), at most three per workspace and <see cref="MaxBytes"/> in all, the least recently used
/// going first. They are a cache: any failure to read or write one costs a rebuild and a log line, nothing else.
/// </summary>
public sealed partial class TextIndexSnapshots(TimeProvider clock, ILogger<TextIndexSnapshots> logger)
{
    private const int KeptPerWorkspace = 3;
    private const long MaxBytes = 1L << 30;
    private const string Pending = ".tmp";

    private static readonly string Builds = Path.Combine(Path.GetTempPath(), "hitlconsole", "text-index");
    private static readonly string Root = Path.Combine(Builds, typeof(TextIndexSnapshots).Module.ModuleVersionId.ToString("N"));

    /// <summary>
    /// The name of a set of entries: the sum of one hash per entry, so the order the database returns them in does not matter.
    /// Also collects what a loaded index needs besides its documents (the ids and the newest change).
    /// </summary>
    public sealed class Content
    {
        private UInt128 _sum;

        public HashSet<Guid> Ids { get; } = [];
        public DateTime Newest { get; private set; } = DateTime.MinValue;
        public string Key => $"{Ids.Count}-{_sum:x32}";

        public void Add(Guid id, string question, string answer, string? tags, string language, DateTime updatedUtc)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{id:N}\u001f{language}\u001f{question}\u001f{answer}\u001f{tags}"));
            unchecked { _sum += BitConverter.ToUInt128(hash, 0); }
            Ids.Add(id);
            if (updatedUtc > Newest) Newest = updatedUtc;
        }
    }

    /// <summary>The saved index of exactly this content, copied into memory; null when there is none (or it cannot be read).</summary>
    public RAMDirectory? TryLoad(Guid tenantId, Content content)
    {
        var path = Path.Combine(Root, tenantId.ToString("N"), content.Key);
        if (!IODirectory.Exists(path)) return null;
        try
        {
            using var disk = FSDirectory.Open(path);
            var copy = new RAMDirectory(disk, IOContext.READ_ONCE);
            IODirectory.SetLastWriteTimeUtc(path, clock.GetUtcNow().UtcDateTime); // recently used, kept longest
            return copy;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogUnreadable(ex.GetType().Name);
            TryDelete(path);
            return null;
        }
    }

    /// <summary>Saves a committed index under its content's name; written aside and moved in, so a reader never sees half.</summary>
    public void Save(Guid tenantId, Content content, LuceneDirectory index)
    {
        if (content.Ids.Count == 0) return;
        var workspace = Path.Combine(Root, tenantId.ToString("N"));
        var path = Path.Combine(workspace, content.Key);
        if (IODirectory.Exists(path)) return;
        var pending = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}{Pending}";
        try
        {
            CreatePrivate(Builds);
            CreatePrivate(Root);
            IODirectory.CreateDirectory(pending);
            using (var disk = FSDirectory.Open(pending))
            {
                var files = index.ListAll();
                foreach (var file in files) index.Copy(disk, file, file, IOContext.DEFAULT);
                disk.Sync(files);
            }
            IODirectory.Move(pending, path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!IODirectory.Exists(path)) LogNotSaved(ex.GetType().Name); // else another process saved the same content first
        }
        finally
        {
            TryDelete(pending);
        }
        Prune(workspace);
    }

    /// <summary>A deleted workspace's snapshots go with it.</summary>
    public void Delete(Guid tenantId) => TryDelete(Path.Combine(Root, tenantId.ToString("N")));

    private void Prune(string workspace)
    {
        try
        {
            foreach (var old in Snapshots(new DirectoryInfo(workspace)).Skip(KeptPerWorkspace)) TryDelete(old.FullName);
            var all = new DirectoryInfo(Root).EnumerateDirectories().SelectMany(Snapshots)
                .Select(d => (Folder: d, Bytes: d.EnumerateFiles().Sum(f => f.Length))).ToList();
            var total = all.Sum(s => s.Bytes);
            foreach (var (folder, bytes) in all.OrderBy(s => s.Folder.LastWriteTimeUtc))
            {
                if (total <= MaxBytes) break;
                TryDelete(folder.FullName);
                total -= bytes;
            }
            // Other builds' snapshots can never be read by this one; a day's grace for one still running beside it.
            var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-1);
            foreach (var build in new DirectoryInfo(Builds).EnumerateDirectories().Where(b => b.FullName != Root && b.LastWriteTimeUtc < cutoff))
                TryDelete(build.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogNotPruned(ex.GetType().Name);
        }
    }

    private static IEnumerable<DirectoryInfo> Snapshots(DirectoryInfo workspace) =>
        workspace.EnumerateDirectories().Where(d => !d.Name.EndsWith(Pending, StringComparison.Ordinal))
            .OrderByDescending(d => d.LastWriteTimeUtc);

    /// <summary>The index holds the knowledge's words: readable by this account only.</summary>
    private static void CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows()) IODirectory.CreateDirectory(path);
        else IODirectory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (IODirectory.Exists(path)) IODirectory.Delete(path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { } // another process got there first, or holds it
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A saved knowledge text index could not be read ({Error}); it is built again")]
    private partial void LogUnreadable(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The knowledge text index could not be saved ({Error}); the next start builds it again")]
    private partial void LogNotSaved(string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Old knowledge text index snapshots could not be removed ({Error})")]
    private partial void LogNotPruned(string error);
}
