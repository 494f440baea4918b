using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace HitlConsole.Tests.Support;

/// <summary>Every log event an app writes, rendered with its properties and exception, for "never logged" checks.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        logEvent.RenderMessage(writer);
        foreach (var (name, value) in logEvent.Properties) writer.Write($" {name}={value}");
        if (logEvent.Exception is not null) writer.Write(" " + logEvent.Exception);
        Lines.Enqueue(writer.ToString());
    }

    public string All => string.Join("\n", Lines);
}
