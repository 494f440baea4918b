namespace HitlConsole.Features.Platform;

/// <summary>
/// A write-only stream in front of an HTTP response for <see cref="System.IO.Compression.ZipArchive"/>: closing a zip entry
/// writes its last compressed block synchronously even in the async API, which ASP.NET Core refuses on a response body. Writes
/// land in a small buffer; async writes pass it on once it fills, and <see cref="DrainAsync"/> passes on what sync writes left.
/// </summary>
internal sealed class AsyncWriteBuffer(Stream output) : Stream
{
    private const int Threshold = 64 * 1024;
    private readonly MemoryStream _buffer = new();

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => _buffer.Write(buffer, offset, count);
    public override void Write(ReadOnlySpan<byte> buffer) => _buffer.Write(buffer);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        _buffer.Write(buffer.Span);
        if (_buffer.Length >= Threshold) await DrainAsync(ct);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    /// <summary>Sync flushes keep the bytes here: only <see cref="DrainAsync"/> may touch the output.</summary>
    public override void Flush() { }

    public override Task FlushAsync(CancellationToken ct) => DrainAsync(ct);

    public async Task DrainAsync(CancellationToken ct)
    {
        if (_buffer.Length == 0) return;
        await output.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), ct);
        _buffer.SetLength(0);
        await output.FlushAsync(ct);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
