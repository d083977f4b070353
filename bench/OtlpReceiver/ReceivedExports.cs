using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace OtlpReceiver;

/// <summary>Export requests and body bytes received, per signal (traces, metrics, logs).</summary>
internal sealed class ReceivedExports
{
    private readonly ConcurrentDictionary<string, Totals> _bySignal = new(StringComparer.Ordinal);

    public void Record(string signal, long bytes)
    {
        var totals = _bySignal.GetOrAdd(signal, _ => new Totals());
        Interlocked.Increment(ref totals.Exports);
        Interlocked.Add(ref totals.Bytes, bytes);
    }

    public string Describe()
    {
        var text = new StringBuilder();
        foreach (var (signal, totals) in _bySignal.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{signal} {Interlocked.Read(ref totals.Exports)} {Interlocked.Read(ref totals.Bytes)}");
        }
        return text.ToString();
    }

    public static async Task<long> DrainAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
        }
        return total;
    }

    private sealed class Totals
    {
        public long Exports;
        public long Bytes;
    }
}
