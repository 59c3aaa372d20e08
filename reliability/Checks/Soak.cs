using Reliability.Infra;

namespace Reliability.Checks;

public static class Soak
{
    public static Task Run(Check c) => Task.CompletedTask;
}
