using Microsoft.Extensions.Options;
using SliceAuth.Accounts;
using SliceAuth.Data;

namespace SliceAuth.Hosting;

public static class StartupFailures
{
    /// <summary>
    /// Builds and runs the service; when it cannot start for a reason an operator can fix (a setting, the data
    /// directory, the database), says so in one line on stderr and exits 1, rather than crashing with a stack
    /// trace. Building counts: FastEndpoints creates every endpoint, and so opens the database, while mapping.
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
        StorageUnavailableException storage => storage.Message,
        ConfusablesUnavailableException icu => icu.Message,
        OptionsValidationException options => string.Join(" ", options.Failures),
        AggregateException aggregate => aggregate.InnerExceptions.Select(Explain).FirstOrDefault(r => r is not null),
        _ => e.InnerException is null ? null : Explain(e.InnerException),
    };
}
