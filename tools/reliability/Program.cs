using System.Runtime.InteropServices;
using System.Diagnostics;
using Reliability.Checks;
using Reliability.Infra;

// Linux only: /proc, signals, setpriv, mount.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Reliability checks against a Release build of SliceAuth run as real processes on 127.0.0.1:5300-5399.
// Each check prints "<name>: N passed, M failed"; the last line is the sum. Exit code 1 on any failure.
Settings settings;
try
{
    settings = Settings.From(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine($"reliability: {e.Message}");
    Console.WriteLine("reliability: 0 passed, 1 failed");
    return 2;
}

if (!File.Exists(settings.AppDll))
{
    Console.Error.WriteLine($"reliability: {settings.AppDll} does not exist; build SliceAuth in Release first");
    Console.WriteLine("reliability: 0 passed, 1 failed");
    return 2;
}

Console.WriteLine($"reliability: seed {settings.Seed} (rerun with --seed {settings.Seed} or REL_SEED={settings.Seed})");
Console.WriteLine($"reliability: kill9 trials {settings.Kill9Trials}, soak {settings.Soak.TotalSeconds:0} s (warm-up {settings.SoakWarmup.TotalSeconds:0} s), " +
                  $"barrage {settings.Barrage}, clients {settings.Clients}, checks {string.Join(",", settings.Checks)}");
Console.WriteLine($"reliability: app {settings.AppDll}, work directory {settings.WorkDir}");

// Interrupted (Ctrl-C, SIGTERM from run.sh): no server and no mount may outlive the run.
void Interrupted(PosixSignalContext _)
{
    Server.KillAll();
    StorageFaults.Cleanup();
    Postgres.StopShared(immediately: true);
}
using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupted);
using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupted);

var checks = new Dictionary<string, Func<Check, Task>>
{
    ["kill9"] = Kill9.Run,
    ["races"] = Races.Run,
    ["barrage"] = Barrage.Run,
    ["second-instance"] = SecondInstance.Run,
    ["restart"] = Restart.Run,
    ["soak"] = Soak.Run,
    ["storage-faults"] = StorageFaults.Run,
    ["cluster-revocation"] = ClusterRevocation.Run,
    ["cluster-listener"] = ClusterListener.Run,
    ["cluster-throttle"] = ClusterThrottle.Run,
    ["cluster-register"] = ClusterRegister.Run,
    ["cluster-kill9"] = ClusterKill9.Run,
    ["cluster-pg-restart"] = ClusterPgRestart.Run,
    ["cluster-pepper"] = ClusterPepper.Run,
    ["cluster-migrate"] = ClusterMigrate.Run,
};

int passed = 0, failed = 0;
foreach (var name in settings.Checks)
{
    var check = new Check(name, settings);
    var clock = Stopwatch.StartNew();
    Console.WriteLine($"--- {name}");
    try
    {
        await checks[name](check);
    }
    catch (Exception e)
    {
        // A crash in a check is a failure of that check, never a silent pass.
        check.That(false, $"the check itself stopped: {e}");
    }
    if (check.Passed + check.Failed == 0) check.That(false, "the check made no assertion");
    var line = $"{name}: {check.Passed} passed, {check.Failed} failed";
    Console.WriteLine($"  [{name}] took {clock.Elapsed.TotalSeconds:0.0} s");
    Console.WriteLine(line);
    passed += check.Passed;
    failed += check.Failed;
}

// The run's PostgreSQL (cluster checks) stops with the run; a failing run keeps its files with the rest.
Postgres.StopShared();

// The cluster group alone is CI's "cluster" stage: its own result line.
if (settings.Checks.All(Settings.ClusterChecks.Contains))
    Console.WriteLine($"cluster: {passed} passed, {failed} failed");

if (failed == 0 && !settings.Keep)
{
    try { Directory.Delete(settings.WorkDir, recursive: true); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
}
else
{
    Console.WriteLine($"reliability: data directories kept in {settings.WorkDir}");
}

Console.WriteLine($"reliability: {passed} passed, {failed} failed");
return failed == 0 ? 0 : 1;
