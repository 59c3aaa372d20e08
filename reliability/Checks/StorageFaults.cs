using Reliability.Infra;

namespace Reliability.Checks;

public static class StorageFaults
{
    public static Task Run(Check c) => Task.CompletedTask;
}
