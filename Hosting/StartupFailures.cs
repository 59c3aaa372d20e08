using Microsoft.Extensions.Options;
using SliceAuth.Accounts;
using SliceAuth.Auth;
using SliceAuth.Data;

namespace SliceAuth.Hosting;

public static class StartupFailures
{
    /// <summary>
    /// Builds and runs the service; when it cannot start for a reason an operator can fix (a setting, the data
    /// directory, the database, the pepper), says so in one line on stderr and exits 1, rather than crashing
    /// with a stack trace. Anything else is a bug and keeps its stack trace.
    /// </summary>
    public static int RunOrExplain(Func<WebApplication> build)
    {
        try
        {
            build().Run();
            return 0;
        }
        catch (Exception e) when (Explain(e) is { } reason)
        {
            Console.Error.WriteLine($"SliceAuth cannot start: {reason}");
            return 1;
        }
    }

    private static string? Explain(Exception e) => e switch
    {
        StorageUnavailableException or PepperMismatchException or ConfusablesUnavailableException => OneLine(e.Message),
        OptionsValidationException options => OneLine(string.Join(" ", options.Failures)),
        // Several options classes failed at once: all of them, still on one line.
        AggregateException aggregate => aggregate.InnerExceptions.Select(Explain).OfType<string>().ToList() is { Count: > 0 } reasons
            ? string.Join(" ", reasons)
            : null,
        _ => e.InnerException is null ? null : Explain(e.InnerException),
    };

    // An operating-system message can carry a line break; the promise is one line.
    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
