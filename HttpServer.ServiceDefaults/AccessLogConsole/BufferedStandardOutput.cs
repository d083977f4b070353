using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace HttpServer.ServiceDefaults.AccessLogConsole;

/// <summary>
/// Log lines written to stdout in batches, every <see cref="FlushInterval"/> (a timer) or by the writer whose line fills
/// <see cref="FlushThreshold"/>, unless another write is under way; writers wait only beyond 4 MiB pending, so a slow stdout
/// slows requests late, as the console logger's queue does. No thread of its own: one fewer wake-up per batch. Into a pipe,
/// cut at line ends into pieces of at most PIPE_BUF bytes, so the console logger's lines never land inside them; into a
/// file, in one piece (each write costs page-cache work).
/// </summary>
internal sealed class BufferedStandardOutput : IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);
    public const int FlushThreshold = 32 * 1024;
    private const int PipeBuffer = 4096;
    private const int MaxPending = 4 * 1024 * 1024;

    private readonly Stream _stdout;
    private readonly int _pieceSize;
    private readonly Lock _pendingGate = new();
    private readonly Lock _writeGate = new();
    private readonly Timer _timer;
    private ArrayBufferWriter<byte> _pending = new(FlushThreshold * 2);
    private ArrayBufferWriter<byte> _writing = new(FlushThreshold * 2);

    public BufferedStandardOutput(Stream stdout, bool isRegularFile = false)
    {
        (_stdout, _pieceSize) = (stdout, isRegularFile ? int.MaxValue : PipeBuffer);
        _timer = new Timer(_ => Flush(), null, FlushInterval, FlushInterval);
        // Environment.Exit (a second SIGTERM) skips Dispose but runs this.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Flush();
    }

    public void WriteLine(ReadOnlySpan<byte> line)
    {
        int pending;
        lock (_pendingGate)
        {
            _pending.Write(line);
            pending = _pending.WrittenCount;
        }
        if (pending >= FlushThreshold)
        {
            Flush(wait: pending >= MaxPending);
        }
    }

    private void Flush(bool wait = true)
    {
        if (!_writeGate.TryEnter())
        {
            if (!wait)
            {
                return; // the batch under way is being written: this one goes next
            }
            _writeGate.Enter();
        }
        try
        {
            lock (_pendingGate)
            {
                (_pending, _writing) = (_writing, _pending);
            }
            try
            {
                WriteInPieces(_writing.WrittenSpan);
            }
            catch (IOException)
            {
                // stdout is gone (a closed pipe): nothing left to write to.
            }
            _writing.ResetWrittenCount();
        }
        finally
        {
            _writeGate.Exit();
        }
    }

    private void WriteInPieces(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return; // a timer tick with nothing pending: no flush syscall
        }
        while (!data.IsEmpty)
        {
            var length = data.Length;
            if (length > _pieceSize)
            {
                var lastEnd = data[.._pieceSize].LastIndexOf((byte)'\n');
                var firstEnd = data.IndexOf((byte)'\n');
                length = lastEnd >= 0 ? lastEnd + 1 : firstEnd >= 0 ? firstEnd + 1 : data.Length;
            }
            _stdout.Write(data[..length]);
            data = data[length..];
        }
        _stdout.Flush();
    }

    // A regular file is seekable; pipes, sockets and terminals are not.
    public static bool IsStandardOutputRegularFile()
    {
        try
        {
            using var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            return stream.CanSeek;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Flush();
    }
}
