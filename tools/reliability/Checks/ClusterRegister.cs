using Reliability.Infra;

namespace Reliability.Checks;

/// <summary>
/// Uniqueness holds across instances: each round sends six registrations at once, two to each of A, B and C, that
/// collide by username in varied case (distinct emails), by email in varied case (distinct usernames), or both.
/// Exactly one is 201, the other five 409 problem+json, and the winner's password logs in on another instance.
/// </summary>
public static class ClusterRegister
{
    private const int Rounds = 100;
    private const int PerRound = 6;

    public static async Task Run(Check c)
    {
        using var cluster = await Cluster.Start(c, "cluster_register");
        if (cluster is null) return;
        var rng = new Random(c.Settings.Seed ^ 0x52454753);
        var tag = rng.Next(100000, 999999);
        var winners = new int[3];
        var failedRounds = 0;

        for (var round = 0; round < Rounds; round++)
        {
            var kind = round % 3; // 0: one name, 1: one email, 2: both
            var name = $"reg{round}x{tag}";
            var email = $"shared{round}.{tag}@Cluster.Example";
            var go = new TaskCompletionSource();
            var racers = Enumerable.Range(0, PerRound).Select(i => Task.Run(async () =>
            {
                var user = kind == 1 ? $"{name}n{i}" : RandomCase(name, new Random(tag + round * 10 + i));
                var mail = kind == 0 ? $"u{i}.{round}.{tag}@cluster.example" : RandomCase(email, new Random(tag - round * 10 - i));
                var password = $"register race {round} secret {i}";
                await go.Task;
                return (Instance: i % 3, User: user, Password: password, Reply: await cluster.Http(i % 3).Register(user, mail, password));
            })).ToArray();
            go.SetResult();
            var results = await Task.WhenAll(racers);
            var what = $"round {round} ({(kind switch { 0 => "one username", 1 => "one email", _ => "one username and one email" })})";

            var created = results.Where(r => r.Reply.Status == 201).ToList();
            var ok = c.That(created.Count == 1, () => $"{what}: {created.Count} of {PerRound} simultaneous registrations answered 201 (want exactly 1): " +
                                                     string.Join("; ", results.Select(r => $"{Cluster.Label(r.Instance)} {r.Reply}")));
            foreach (var r in results.Where(r => r.Reply.Status != 201))
                ok &= c.That(r.Reply.Status == 409 && r.Reply.IsProblem, () => $"{what}: a losing registration on {Cluster.Label(r.Instance)} answered {r.Reply} (want 409 problem+json)");
            if (created.Count >= 1)
            {
                var w = created[0];
                winners[w.Instance]++;
                var login = await cluster.Http((w.Instance + 1) % 3).Login(w.User, w.Password);
                ok &= c.That(login.Status == 200, () => $"{what}: the winner '{w.User}' (on {Cluster.Label(w.Instance)}) cannot log in on another instance: {login}");
            }
            if (!ok) failedRounds++;
        }
        c.Info($"{Rounds} rounds of {PerRound}; rounds won on A {winners[0]}, B {winners[1]}, C {winners[2]}; failed rounds {failedRounds}");
    }

    private static string RandomCase(string s, Random rng) =>
        string.Concat(s.Select(ch => rng.Next(2) == 0 ? char.ToUpperInvariant(ch) : char.ToLowerInvariant(ch)));
}
