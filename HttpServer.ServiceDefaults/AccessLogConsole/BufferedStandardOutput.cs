using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace HttpServer.ServiceDefaults.AccessLogConsole;

/// <summary>
/// Complete log lines collected in memory and written to stdout by one background thread, every
/// <see cref="FlushInterval"/> or as soon as <see cref="FlushThreshold"/> bytes wait: one write per batch
/// instead of one per line, and no thread wake-up per line. Into a pipe, writes are cut at line ends into pieces of at
/// most PIPE_BUF bytes, so lines from other writers of stdout (the console logger) never land inside them.
/// </summary>
internal sealed class BufferedStandardOutput : IDisposable
{
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(50);
    public const int FlushThreshold = 32 * 1024;
    private const int MaxPending = 4 * 1024 * 1024; // beyond this, writers wait (as the console logger's do)
    private const int PipeBuffer = 4096;

    private readonly Stream _stdout;
    private readonly int _pieceSize;
    private readonly object _gate = new();
    private readonly object _flushGate = new();
    private readonly AutoResetEvent _flushNow = new(false);
    private readonly Thread _thread;
    private ArrayBufferWriter<byte> _pending = new(FlushThreshold * 2);
    private ArrayBufferWriter<byte> _writing = new(FlushThreshold * 2);
    private bool _signalled;
    private volatile bool _disposed;

    /// <param name="stdout">Where the batches go.</param>
    /// <param name="isRegularFile">
    /// stdout redirected to a file: a write() there is never interleaved with another writer's, whatever its size, so a
    /// batch goes in one piece. Each write into a file costs the kernel page-cache work of its own (zeroing included),
    /// a measurable share of the server's CPU in 4 KiB pieces (issue 14). Pipes and terminals keep PIPE_BUF pieces.
    /// </param>
    public BufferedStandardOutput(Stream stdout, bool isRegularFile = false)
    {
        _stdout = stdout;
        _pieceSize = isRegularFile ? int.MaxValue : PipeBuffer;
        _thread = new Thread(Run) { IsBackground = true, Name = "Access log writer" };
        _thread.Start();
        // Environment.Exit (a second SIGTERM) skips Dispose but runs this.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Flush();
    }

    public void WriteLine(ReadOnlySpan<byte> line)
    {
        var signal = false;
        lock (_gate)
        {
            while (_pending.WrittenCount >= MaxPending && !_disposed)
            {
                Monitor.Wait(_gate);
            }
            _pending.Write(line);
            if (_pending.WrittenCount >= FlushThreshold && !_signalled)
            {
                _signalled = signal = true;
            }
        }
        if (signal)
        {
            _flushNow.Set();
        }
    }

    private void Run()
    {
        while (!_disposed)
        {
            _flushNow.WaitOne(FlushInterval);
            Flush();
        }
    }

    private void Flush()
    {
        lock (_flushGate)
        {
            lock (_gate)
            {
                (_pending, _writing) = (_writing, _pending);
                _signalled = false;
                Monitor.PulseAll(_gate);
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
    }

    private void WriteInPieces(ReadOnlySpan<byte> data)
    {
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

    /// <summary>True when file descriptor 1 is a regular file (seekable); false for pipes, sockets and terminals.</summary>
    public static bool IsStandardOutputRegularFile()
    {
        try
        {
            using var handle = new SafeFileHandle(1, ownsHandle: false);
            using var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
            return stream.CanSeek;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _flushNow.Set();
        _thread.Join(TimeSpan.FromSeconds(2));
        Flush();
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }
}
