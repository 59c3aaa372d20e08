using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Reliability.Infra;

namespace Reliability.Checks;

public static partial class Barrage
{
    /// <summary>
    /// Bodies shaped for the passkey routes: a name and a WebAuthn credential (id, rawId, type, response) whose response
    /// carries the attestation fields and the assertion fields at once, also under "attestation", "assertion" and
    /// "credential", so each route finds its own shape. The parts are made up: random or deeply nested CBOR
    /// attestation objects (the parser recurses), authenticator data that claims more than it holds, clientDataJSON
    /// that is deep, odd or not UTF-8, base64url that is invalid, huge fields, wrong types, odd names.
    /// </summary>
    private static (string Kind, byte[] Body) PasskeyBody(Random rng, LiveChallenges live)
    {
        byte[] Bytes(int n) { var b = new byte[n]; rng.NextBytes(b); return b; }
        string B64(byte[] b) => Base64Url.EncodeToString(b);
        string Q(string s) => $"\"{s}\"";
        string QB(byte[] b) => Q(B64(b));
        // Mostly a live challenge of the ceremony, so the answer gets past the challenge look-up into the WebAuthn library.
        string Challenge(string type) => rng.Next(6) switch
        {
            < 4 => live.Of(rng, registration: type == "webauthn.create"),
            4 => live.Of(rng, registration: type != "webauthn.create"),
            _ => B64(Bytes(32)),
        };
        string ClientData(string type) => QB(Encoding.UTF8.GetBytes(
            $"{{\"type\":\"{type}\",\"challenge\":\"{Challenge(type)}\",\"origin\":\"{(rng.Next(2) == 0 ? "http://localhost:5000" : "http://evil.example")}\",\"crossOrigin\":false}}"));
        string Credential(string id, string rawId, string type, string response) =>
            $"{{\"id\":{id},\"rawId\":{rawId},\"type\":{type},\"response\":{response},\"clientExtensionResults\":{{}},\"authenticatorAttachment\":\"platform\"}}";
        string Response(string attestationObject, string authenticatorData, string signature, string userHandle, string clientData) =>
            $"{{\"attestationObject\":{attestationObject},\"authenticatorData\":{authenticatorData},\"signature\":{signature},\"userHandle\":{userHandle},\"clientDataJSON\":{clientData},\"transports\":[\"internal\"]}}";
        string Body(string name, string credential) =>
            $"{{\"name\":{name},\"attestation\":{credential},\"assertion\":{credential},\"credential\":{credential},{credential[1..]}";
        // A plausible credential, with any part replaced.
        string Plausible(string? attestationObject = null, string? authenticatorData = null, string? clientData = null, string? id = null, string? signature = null, string? userHandle = null)
        {
            var credentialId = Bytes(rng.Next(16, 65));
            return Credential(id ?? QB(credentialId), id ?? QB(credentialId), Q("public-key"), Response(
                attestationObject ?? QB(Cbor.AttestationObject(rng, AuthenticatorData(rng, attested: true))),
                authenticatorData ?? QB(AuthenticatorData(rng, attested: false)),
                signature ?? QB(Bytes(rng.Next(8, 80))),
                userHandle ?? QB(Bytes(16)),
                clientData ?? ClientData(rng.Next(2) == 0 ? "webauthn.create" : "webauthn.get")));
        }
        string Name() => Q($"barrage key {rng.Next(1000)}");
        byte[] S(string s) => Encoding.UTF8.GetBytes(s);

        switch (rng.Next(12))
        {
            case 0: return ("pk-lookalike", S(Body(Name(), Plausible())));
            case 1:
            {
                // Near the 16 KiB body limit and past it (the latter 413, or no answer owed past 2 MiB).
                var huge = QB(Bytes(rng.Next(2) == 0 ? rng.Next(1000, 3000) : rng.Next(12_000, 300_000)));
                return (rng.Next(4) switch
                {
                    0 => ("pk-huge-attestation", S(Body(Name(), Plausible(attestationObject: huge)))),
                    1 => ("pk-huge-client-data", S(Body(Name(), Plausible(clientData: huge)))),
                    2 => ("pk-huge-id", S(Body(Name(), Plausible(id: huge)))),
                    _ => ("pk-huge-signature", S(Body(Name(), Plausible(signature: huge, userHandle: huge)))),
                });
            }
            case 2:
            {
                string[] invalid = ["\"!!!!\"", "\"a\"", "\"====\"", "\"+/+/\"", "\"AQID AQID\"", "\"AQ\\u0000ID\"", "\"é\"", "\"AQID=\"", "\"\"", "\"\\ud800\"", "\"AQ%3D\""];
                string I() => invalid[rng.Next(invalid.Length)];
                return ("pk-base64url-invalid", S(Body(Name(), Plausible(attestationObject: I(), authenticatorData: I(), clientData: I(), id: rng.Next(2) == 0 ? I() : null, signature: I(), userHandle: I()))));
            }
            case 3:
            {
                string[] values = ["123", "true", "null", "[]", "{}", "1e400", "-0", "[\"AQID\"]", "{\"clientDataJSON\":\"AQID\"}", "9999999999999999999999"];
                string V() => values[rng.Next(values.Length)];
                return ("pk-wrong-types", S(Body(V(), Credential(V(), V(), V(), rng.Next(2) == 0 ? V() : Response(V(), V(), V(), V(), V())))));
            }
            case 4:
            {
                var depth = rng.Next(65, 1500);
                var json = rng.Next(2) == 0
                    ? "{\"type\":\"webauthn.create\",\"challenge\":" + string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth + 1)
                    : new string('[', depth) + new string(']', depth);
                return ($"pk-deep-client-data-{depth}", S(Body(Name(), Plausible(clientData: QB(Encoding.UTF8.GetBytes(json))))));
            }
            case 5:
            {
                var (kind, cbor) = Cbor.Deep(rng);
                return ($"pk-deep-cbor-{kind}", S(Body(Name(), Plausible(attestationObject: QB(cbor), authenticatorData: QB(AuthenticatorData(rng, attested: true, coseKey: cbor))))));
            }
            case 6:
            {
                var (kind, cbor) = Cbor.Odd(rng);
                return ($"pk-cbor-{kind}", S(Body(Name(), Plausible(attestationObject: QB(cbor)))));
            }
            case 7: return ("pk-auth-data-odd", S(Body(Name(), Plausible(attestationObject: QB(Cbor.AttestationObject(rng, OddAuthenticatorData(rng))), authenticatorData: QB(OddAuthenticatorData(rng))))));
            case 8:
            {
                string[] docs = ["", "null", "[]", "{}", "{\"type\":null}", "{\"type\":\"webauthn.create\",\"challenge\":123}", "{\"type\":\"webauthn.create\",\"challenge\":\"!!!\",\"origin\":\"http://localhost:5000\"}",
                    "{\"type\":\"webauthn.get\",\"challenge\":\"AQID\",\"origin\":\"\\u0000\"}", "{\"type\":\"webauthn.create\",\"type\":\"webauthn.get\"}", "{\"tokenBinding\":{\"status\":\"present\",\"id\":\"!!\"}}"];
                var doc = rng.Next(5) == 0 ? Bytes(rng.Next(1, 200)) : Encoding.UTF8.GetBytes(docs[rng.Next(docs.Length)]); // sometimes not UTF-8 at all
                return ("pk-client-data-odd", S(Body(Name(), Plausible(clientData: QB(doc)))));
            }
            case 9:
            {
                string[] names = ["\"\"", "\" \"", Q(new string('n', 65)), Q(new string('n', rng.Next(1000, 12_000))), "\"key\\u0000\"", "\"\\u202eyek\"", "\"\\u0007\"", "\"🔑🔑\"", "\"a\\r\\nb\"", "\"\\ud800\""];
                return ("pk-name-odd", S(Body(names[rng.Next(names.Length)], Plausible())));
            }
            case 10:
            {
                string[] partial = ["{}", $"{{\"name\":{Name()}}}", "{\"response\":{}}", $"{{\"id\":{QB(Bytes(16))}}}", $"{{\"name\":{Name()},\"attestation\":{{}}}}", $"{{\"assertion\":{{\"response\":{{\"clientDataJSON\":{ClientData("webauthn.get")}}}}}}}"];
                return ("pk-partial", S(partial[rng.Next(partial.Length)]));
            }
            default:
            {
                var id = QB(Bytes(16));
                return ("pk-duplicate-keys", S($"{{\"name\":{Name()},\"name\":1,\"id\":{id},\"id\":null,\"rawId\":{id},\"type\":\"public-key\",\"type\":\"password\",\"response\":{{\"clientDataJSON\":{ClientData("webauthn.get")},\"clientDataJSON\":\"!!\"}}}}"));
            }
        }
    }

    /// <summary>
    /// Challenges the server issued before the barrage: registration ones for the guarded account, login ones for anyone.
    /// Each works once, so most of the barrage's answers find theirs used (or, sent with another session, not that
    /// account's); the first to name one with the guarded session reaches the WebAuthn library.
    /// </summary>
    private sealed record LiveChallenges(IReadOnlyList<string> Registration, IReadOnlyList<string> Login)
    {
        private const int Each = 60;

        public string Of(Random rng, bool registration)
        {
            var pool = registration ? Registration : Login;
            return pool[rng.Next(pool.Count)];
        }

        public static async Task<LiveChallenges?> Fetch(Check c, HttpClient http, string session)
        {
            var registration = new List<string>();
            var login = new List<string>();
            for (var i = 0; i < Each; i++)
            {
                var r = await http.Call(Http.Get("/me/passkeys/options", session, HttpMethod.Post), "POST /me/passkeys/options");
                var l = await http.Call(Http.Get("/login/passkey/options", null, HttpMethod.Post), "POST /login/passkey/options");
                if (!c.That(Challenge(r) is not null && Challenge(l) is not null, () => $"set-up: no passkey options: {r} / {l}")) return null;
                registration.Add(Challenge(r)!);
                login.Add(Challenge(l)!);
            }
            return new LiveChallenges(registration, login);
        }

        private static string? Challenge(Reply r) =>
            r.Status == 200 && r.Json() is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("publicKey", out var pk)
            && pk.ValueKind == JsonValueKind.Object && pk.TryGetProperty("challenge", out var ch) && ch.ValueKind == JsonValueKind.String
                ? ch.GetString() : null;
    }

    /// <summary>Authenticator data: RP ID hash, flags (user present and verified, attested credential data when asked), counter, then the attested credential.</summary>
    private static byte[] AuthenticatorData(Random rng, bool attested, byte[]? coseKey = null)
    {
        var data = new List<byte>();
        var rpIdHash = new byte[32];
        rng.NextBytes(rpIdHash);
        data.AddRange(rpIdHash);
        data.Add((byte)(0x05 | (attested ? 0x40 : 0)));
        data.AddRange(BitConverter.GetBytes(rng.Next()).Reverse());
        if (!attested) return [.. data];
        var aaguid = new byte[16];
        var credentialId = new byte[rng.Next(16, 65)];
        rng.NextBytes(credentialId);
        data.AddRange(aaguid);
        data.Add(0);
        data.Add((byte)credentialId.Length);
        data.AddRange(credentialId);
        data.AddRange(coseKey ?? Cbor.Ec2Key(rng));
        return [.. data];
    }

    /// <summary>Authenticator data that is short, claims a credential id longer than itself, or sets flags it does not back.</summary>
    private static byte[] OddAuthenticatorData(Random rng)
    {
        var real = AuthenticatorData(rng, attested: true);
        switch (rng.Next(6))
        {
            case 0: return real[..rng.Next(real.Length)]; // cut anywhere
            case 1: real[53] = 0xFF; real[54] = 0xFF; return real; // credential id length 65535
            case 2: real[32] |= 0x80; return real; // extension data flagged, none there
            case 3: real[32] = 0xFF; return real; // every flag, reserved ones too
            case 4: return [.. real, .. Cbor.Deep(rng).Cbor]; // trailing bytes: a deep CBOR item
            default: return [];
        }
    }

    /// <summary>Just enough CBOR (RFC 8949) to build made-up attestation objects and keys, well-formed or not.</summary>
    private static class Cbor
    {
        public static byte[] Text(string s)
        {
            var b = Encoding.UTF8.GetBytes(s);
            return [.. Head(3, b.Length), .. b];
        }

        public static byte[] ByteString(byte[] b) => [.. Head(2, b.Length), .. b];

        public static byte[] Head(int major, long length) => length switch
        {
            < 24 => [(byte)(major << 5 | (int)length)],
            <= 0xFF => [(byte)(major << 5 | 24), (byte)length],
            <= 0xFFFF => [(byte)(major << 5 | 25), (byte)(length >> 8), (byte)length],
            _ => [(byte)(major << 5 | 26), (byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length],
        };

        /// <summary>{"fmt": "none", "attStmt": {}, "authData": …}, the shape of a real attestation object.</summary>
        public static byte[] AttestationObject(Random rng, byte[] authData) =>
            [0xA3, .. Text("fmt"), .. Text(rng.Next(4) == 0 ? "packed" : "none"), .. Text("attStmt"), 0xA0, .. Text("authData"), .. ByteString(authData)];

        /// <summary>A COSE EC2 P-256 key with random coordinates (most are not on the curve).</summary>
        public static byte[] Ec2Key(Random rng)
        {
            var x = new byte[32];
            var y = new byte[32];
            rng.NextBytes(x);
            rng.NextBytes(y);
            return [0xA5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, .. ByteString(x), 0x22, .. ByteString(y)];
        }

        /// <summary>Nesting as deep as a 16 KiB body allows (base64url in JSON): arrays, maps, indefinite-length arrays, tags.</summary>
        public static (string Kind, byte[] Cbor) Deep(Random rng)
        {
            var depth = rng.Next(2) == 0 ? rng.Next(100, 2000) : rng.Next(2000, 11_000);
            return rng.Next(4) switch
            {
                0 => ($"array-{depth}", [.. Enumerable.Repeat((byte)0x81, depth), 0x00]),
                1 => ($"map-{depth / 2}", [.. Enumerable.Range(0, depth / 2).SelectMany(_ => new byte[] { 0xA1, 0x00 }), 0x00]),
                2 => ($"indefinite-{depth / 2}", [.. Enumerable.Repeat((byte)0x9F, depth / 2), 0x00, .. Enumerable.Repeat((byte)0xFF, depth / 2)]),
                _ => ($"tags-{depth}", [.. Enumerable.Repeat((byte)0xC6, depth), 0x00]),
            };
        }

        /// <summary>CBOR the parser may not expect: lengths beyond the data, huge counts, floats, undefined, tags, random bytes.</summary>
        public static (string Kind, byte[] Cbor) Odd(Random rng)
        {
            switch (rng.Next(9))
            {
                case 0: return ("bytes-length-huge", [0x5B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]);
                case 1: return ("array-count-huge", [0x9A, 0x7F, 0xFF, 0xFF, 0xFF, 0x00]);
                case 2: return ("map-count-large", [0xBA, 0x00, 0xFF, 0xFF, 0xFF, 0x00, 0x00]);
                case 3: return ("float-undefined", [0xA3, .. Text("fmt"), 0xFB, 0x7F, 0xF8, 0, 0, 0, 0, 0, 0, .. Text("attStmt"), 0xF7, .. Text("authData"), 0xF6]);
                case 4: return ("wrong-types", [0xA3, .. Text("fmt"), 0x01, .. Text("attStmt"), .. Text("x"), .. Text("authData"), .. Text("not bytes")]);
                case 5: return ("map-keys-duplicate", [0xA3, .. Text("fmt"), .. Text("none"), .. Text("fmt"), .. Text("packed"), .. Text("authData"), .. ByteString([1, 2, 3])]);
                case 6: return ("truncated", AttestationObject(rng, AuthenticatorData(rng, attested: true))[..rng.Next(1, 40)]);
                case 7: return ("array-not-map", [0x83, .. Text("none"), 0xA0, .. ByteString(AuthenticatorData(rng, attested: true))]);
                default:
                {
                    var b = new byte[rng.Next(1, 600)];
                    rng.NextBytes(b);
                    return ("random", b);
                }
            }
        }
    }
}
