using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SliceAuth.Accounts;
using SliceAuth.Auth;
using SliceAuth.Data;
using SliceAuth.Data.LiteDb;
using SliceAuth.Metrics;

namespace SliceAuth.Bench.Seeder;

/// <summary>
/// Two benchmark helpers, printing key=value lines for tools/bench/run.sh:
///   seed DIR --users N [--from K] [--password P] [--work-factor W]
///       writes users seed{K}..seed{N-1} (emails seed{i}@bench.example) into the data directory of a stopped
///       SliceAuth, through SliceAuth's own LiteDbDatabase, Pepper and PasswordHasher. The peppered bcrypt hash
///       of P is computed once and stored for every user, so each of them logs in with P.
///   raw [--work-factor W] [--seconds S]
///       raw rate of BCrypt.Verify and BCrypt.HashPassword over a 64-character input (what the product hashes
///       after its peppered pre-hash) on every core at once: the ceiling for POST /login and POST /register.
/// </summary>
public static class Seeder
{
    public const string DefaultPassword = "bench password 0123456789";

    public static int Main(string[] args)
    {
        if (args.Length == 0) return Usage();
        try
        {
            return args[0] switch
            {
                "seed" when args.Length >= 2 => Seed(args[1], new Args(args[2..])),
                "raw" => Raw(new Args(args[1..])),
                _ => Usage(),
            };
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            return Usage();
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: Seeder seed DIR --users N [--from K] [--password P] [--work-factor W]");
        Console.Error.WriteLine("       Seeder raw [--work-factor W] [--seconds S]");
        return 2;
    }

    private static int Seed(string dataDirectory, Args args)
    {
        var users = args.Int("--users", 1000);
        var from = args.Int("--from", 0);
        var password = args.String("--password", DefaultPassword);
        var clock = Stopwatch.StartNew();
        using var db = new LiteDbDatabase(Path.GetFullPath(dataDirectory));
        // As the service does at its start: the look-alike index then exists before the inserts, as in production,
        // instead of being built over every seeded user at the first measured start.
        UsernameLookalikeKeys.Prepare(db, NullLogger.Instance);
        var hasher = Hasher(dataDirectory, args.Int("--work-factor", 10), db);
        var hash = hasher.HashAsync(password).GetAwaiter().GetResult(); // once: a million bcrypt hashes would take hours
        var createdAt = DateTime.UtcNow;
        createdAt = createdAt.AddTicks(-(createdAt.Ticks % TimeSpan.TicksPerMillisecond));

        IEnumerable<User> Users()
        {
            for (var i = from; i < users; i++)
            {
                var name = $"seed{i}";
                var email = $"seed{i}@bench.example";
                yield return new User
                {
                    Id = Guid.NewGuid(),
                    Username = Usernames.Clean(name),
                    UsernameKey = Usernames.Key(name),
                    UsernameLookalikeKey = Usernames.LookalikeKey(name),
                    Email = Emails.Clean(email),
                    EmailKey = Emails.Key(email),
                    PasswordHash = hash,
                    CreatedAt = createdAt,
                };
            }
        }

        var inserted = db.Users.InsertBulk(Users(), batchSize: 20_000);
        var total = db.Users.Count();
        Console.WriteLine($"seeded={inserted}");
        Console.WriteLine($"users_total={total}");
        Console.WriteLine($"seed_seconds={clock.Elapsed.TotalSeconds:F1}");
        return 0;
    }

    private static int Raw(Args args)
    {
        var workFactor = args.Int("--work-factor", 10);
        var seconds = args.Double("--seconds", 5);
        // A throwaway directory only for the generated pepper; the cost is the same for any pepper.
        var dir = Directory.CreateTempSubdirectory("sliceauth-bench-raw-");
        try
        {
            // Raw bcrypt, as the product calls it (over a 64-character pre-hash), without the product's queue.
            var preHashed = Convert.ToBase64String(new byte[48]);
            var hash = BCrypt.Net.BCrypt.HashPassword(preHashed, workFactor);
            var cores = Environment.ProcessorCount;
            void Verify()
            {
                if (!BCrypt.Net.BCrypt.Verify(preHashed, hash)) throw new InvalidOperationException("verify failed");
            }
            void Hash() => BCrypt.Net.BCrypt.HashPassword(preHashed, workFactor);

            // bcrypt's loop starts in unoptimised (tier-0) code; the server has long tiered up when it is measured.
            var warmUp = Math.Min(2, seconds);
            Rate(cores, warmUp, Verify);
            Rate(cores, warmUp, Hash);
            var verifyRate = Rate(cores, seconds, Verify);
            var hashRate = Rate(cores, seconds, Hash);
            Console.WriteLine($"cores={cores}");
            Console.WriteLine($"work_factor={workFactor}");
            Console.WriteLine($"raw_verify_per_s={verifyRate:F2}");
            Console.WriteLine($"raw_hash_per_s={hashRate:F2}");
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Operations per second with one thread per core, each looping until the time is up.</summary>
    private static double Rate(int threads, double seconds, Action operation)
    {
        long count = 0;
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(seconds);
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            var mine = 0L;
            while (clock.Elapsed < deadline)
            {
                operation();
                mine++;
            }
            Interlocked.Add(ref count, mine);
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        return count / clock.Elapsed.TotalSeconds;
    }

    // The pepper is checked against (or recorded as) the data's fingerprint, as the product does at start.
    private static PasswordHasher Hasher(string dataDirectory, int workFactor, LiteDbDatabase db)
    {
        var auth = Options.Create(new AuthOptions { BcryptWorkFactor = workFactor });
        var storage = Options.Create(new StorageOptions { DataDirectory = Path.GetFullPath(dataDirectory) });
        return new PasswordHasher(new Pepper(auth, storage, new PepperFingerprint(new LiteDbPepperFingerprintStore(db))), new PasswordWorkers(auth, TimeProvider.System, NullLogger<PasswordWorkers>.Instance, UnreadMetrics()), auth);
    }

    // The product's instruments, with nobody listening: the seeder reports its own figures.
    private static SliceAuthMetrics UnreadMetrics() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>());

    private sealed class Args(string[] args)
    {
        public string String(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            if (i < 0) return fallback;
            if (i + 1 >= args.Length) throw new ArgumentException($"{name} needs a value");
            return args[i + 1];
        }

        public int Int(string name, int fallback) =>
            int.TryParse(String(name, fallback.ToString()), out var v) && v >= 0 ? v : throw new ArgumentException($"{name}: not a count");

        public double Double(string name, double fallback) =>
            double.TryParse(String(name, fallback.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0
                ? v : throw new ArgumentException($"{name}: not a positive number");
    }
}
