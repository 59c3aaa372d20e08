using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FastEndpoints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using SliceAuth.Tests.Infrastructure;

namespace SliceAuth.Tests.OpenApi;

/// <summary>The app and its document, fetched once over HTTP: every test only reads it.</summary>
public sealed class OpenApiDocumentFixture : IAsyncLifetime
{
    public SliceAuthApp App { get; } = new();

    public JsonElement Document { get; private set; }

    public async Task InitializeAsync()
    {
        var response = await App.Client().GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Document = await response.Json();
    }

    public Task DisposeAsync()
    {
        App.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class OpenApiDocumentTests(OpenApiDocumentFixture fixture) : IClassFixture<OpenApiDocumentFixture>
{
    private const string ProblemJson = "application/problem+json";
    private static readonly string[] SessionRoutes = ["/protected", "/me", "/me/email", "/me/email/verification", "/me/2fa/totp", "/me/2fa/totp/confirm",
        "/me/2fa/recovery-codes", "/me/2fa", "/me/passkeys/options", "/me/passkeys", "/me/passkeys/{id}"];
    // /auth/verify is asked by a proxy about any request, with or without a session: it answers the 401 itself.
    private static readonly string[] AnonymousRoutes = ["/register", "/email/verify", "/login", "/login/2fa", "/login/passkey/options", "/login/passkey",
        "/auth/verify", "/logout", "/password/forgot", "/password/reset"];

    private JsonElement Doc => fixture.Document;

    [Fact]
    public void Document_is_titled_SliceAuth_v1_and_says_how_to_try_it()
    {
        var info = Doc.GetProperty("info");

        Assert.StartsWith("3.0.", Doc.GetProperty("openapi").GetString()); // NSwag writes OpenAPI 3.0
        Assert.Equal("SliceAuth", info.GetProperty("title").GetString());
        Assert.Equal("v1", info.GetProperty("version").GetString());
        var description = info.GetProperty("description").GetString()!;
        Assert.Contains("session", description, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("cookie", description, StringComparison.OrdinalIgnoreCase);
        foreach (var route in new[] { "/register", "/login", "/protected" }) Assert.Contains(route, description);
    }

    [Fact]
    public void Every_operation_has_a_summary_a_slice_tag_and_a_readable_operationId()
    {
        var operations = Operations().ToList();

        Assert.Equal(["AddPasskey", "ChangeEmail", "ChangePassword", "ConfirmTotp", "DeleteAccount", "DeletePasskey", "DisableSecondFactor", "ForgotPassword",
            "ForwardAuth", "ListPasskeys", "ListSessions", "Login", "LoginSecondFactor", "Logout", "Me", "PasskeyLogin", "PasskeyLoginOptions",
            "PasskeyRegistrationOptions", "Protected", "Register", "ReplaceRecoveryCodes", "ResendVerification", "ResetPassword", "RevokeOtherSessions",
            "RevokeSession", "StartTotpEnrolment", "VerifyEmail"], operations.Select(o => o.Operation.GetProperty("operationId").GetString()).Order());
        foreach (var (path, method, operation) in operations)
        {
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), $"{method} {path} has no summary");
            var tag = Assert.Single(operation.GetProperty("tags").EnumerateArray()).GetString();
            Assert.Equal(operation.GetProperty("operationId").GetString(), tag); // one tag per slice, named after it
        }
        // The document lists exactly the tags in use: the default "SliceAuth" tag is gone.
        Assert.Equal(operations.Select(o => o.Operation.GetProperty("tags")[0].GetString()).Order(),
            Doc.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()).Order());
    }

    [Fact]
    public void Every_summary_and_response_description_from_Configure_reaches_the_document()
    {
        var definitions = fixture.App.Service<EndpointDataSource>().Endpoints
            // The account pages are pages, not operations: left out of the document on purpose.
            .Where(e => e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .Select(e => e.Metadata.GetMetadata<EndpointDefinition>())
            .OfType<EndpointDefinition>()
            .ToList();
        Assert.Equal(27, definitions.Count);

        foreach (var definition in definitions)
        {
            var operation = Operation(definition.Routes![0], definition.Verbs![0]);
            var summary = definition.EndpointSummary!;
            Assert.Equal(summary.Summary, operation.GetProperty("summary").GetString());
            foreach (var (status, text) in summary.Responses)
                Assert.Equal(text, operation.GetProperty("responses").GetProperty(status.ToString()).GetProperty("description").GetString());
        }
    }

    [Fact]
    public void Register_documents_the_validator_limits()
    {
        var schema = RequestSchema("/register");
        var properties = schema.GetProperty("properties");

        var username = properties.GetProperty("username");
        Assert.Equal(3, username.GetProperty("minLength").GetInt32());
        Assert.Equal(32, username.GetProperty("maxLength").GetInt32());
        var pattern = new Regex(username.GetProperty("pattern").GetString()!);
        Assert.Matches(pattern, "alice_1.b-c");
        Assert.Matches(pattern, "zoë"); // letters of any script: the pattern leaves non-ASCII to the server's check
        Assert.DoesNotMatch(pattern, "alice smith");
        Assert.DoesNotMatch(pattern, "alice@home");
        Assert.DoesNotContain(@"\p{", pattern.ToString()); // JSON Schema tools read ECMA-262 without the u flag

        var email = properties.GetProperty("email");
        Assert.Equal("email", email.GetProperty("format").GetString());
        Assert.Equal(254, email.GetProperty("maxLength").GetInt32());
        // Its length rule has Min 0: no lower limit (the generator writes it as 0 or leaves it out).
        Assert.False(email.TryGetProperty("minLength", out var emailMin) && emailMin.GetInt32() > 0);

        var password = properties.GetProperty("password");
        Assert.Equal(12, password.GetProperty("minLength").GetInt32());
        Assert.Equal(128, password.GetProperty("maxLength").GetInt32());
        Assert.False(password.TryGetProperty("pattern", out _));

        Assert.Equal(["email", "password", "username"], Strings(schema.GetProperty("required")).Order());
    }

    [Fact]
    public void Login_requires_both_fields_but_shows_none_of_the_registration_limits()
    {
        var schema = RequestSchema("/login");

        Assert.Equal(["password", "username"], Strings(schema.GetProperty("required")).Order());
        foreach (var property in schema.GetProperty("properties").EnumerateObject())
        {
            foreach (var keyword in new[] { "maxLength", "pattern", "format" })
                Assert.False(property.Value.TryGetProperty(keyword, out _), $"login's {property.Name} has {keyword}");
            // Only NotEmpty's limit: not empty, nothing about registration's 3 or 12.
            Assert.False(property.Value.TryGetProperty("minLength", out var min) && min.GetInt32() > 1, $"login's {property.Name} minLength");
        }
    }

    [Fact]
    public void Logins_200_types_both_answers_the_session_and_the_second_factor_step()
    {
        var ok = Operation("/login", "POST").GetProperty("responses").GetProperty("200");
        var properties = Component(SchemaRef(ok, "application/json").Split('/').Last()).GetProperty("properties");

        Assert.Equal("boolean", properties.GetProperty("twoFactorRequired").GetProperty("type").GetString());
        Assert.True(properties.GetProperty("username").GetProperty("nullable").GetBoolean()); // null while the code is due
        Assert.Contains("twoFactorRequired", ok.GetProperty("description").GetString());
        Assert.Contains("/login/2fa", ok.GetProperty("description").GetString());
    }

    [Fact]
    public void Register_documents_201_and_every_error_as_a_problem()
    {
        var responses = Operation("/register", "POST").GetProperty("responses");

        Assert.Equal(["201", "400", "403", "409", "413", "415", "429", "503"], responses.EnumerateObject().Select(r => r.Name).Order());
        Assert.Equal("#/components/schemas/RegisterResponse", SchemaRef(responses.GetProperty("201"), "application/json"));
        Assert.Equal("#/components/schemas/HttpValidationProblemDetails", SchemaRef(responses.GetProperty("400"), ProblemJson));
        Assert.Equal("#/components/schemas/ProblemDetails", SchemaRef(responses.GetProperty("409"), ProblemJson));
        foreach (var status in new[] { "403", "409", "413", "415", "429", "503" })
            Assert.Equal("#/components/schemas/ProblemDetails", SchemaRef(responses.GetProperty(status), ProblemJson));
    }

    [Fact]
    public void Every_error_response_is_a_problem_with_a_description()
    {
        foreach (var (path, method, operation) in Operations())
            foreach (var response in operation.GetProperty("responses").EnumerateObject().Where(r => int.Parse(r.Name) >= 400))
            {
                var content = response.Value.GetProperty("content");
                Assert.Equal([ProblemJson], content.EnumerateObject().Select(c => c.Name));
                var expected = response.Name == "400" ? "HttpValidationProblemDetails" : "ProblemDetails";
                Assert.Equal($"#/components/schemas/{expected}", SchemaRef(response.Value, ProblemJson));
                var description = response.Value.GetProperty("description").GetString();
                Assert.False(string.IsNullOrWhiteSpace(description), $"{method} {path} {response.Name}");
                Assert.NotEqual(ReasonPhrases.GetReasonPhrase(int.Parse(response.Name)), description); // more than the bare phrase
            }
    }

    [Fact]
    public void Request_schemas_do_not_forbid_the_extra_fields_the_API_ignores()
    {
        foreach (var (path, method, operation) in Operations().Where(o => RequestRef(o.Operation) is not null))
        {
            var schema = Component(RequestRef(operation)!.Split('/').Last());
            Assert.False(schema.TryGetProperty("additionalProperties", out var extra) && extra.ValueKind == JsonValueKind.False, $"{method} {path}");
        }
    }

    [Fact]
    public void Validation_problem_maps_each_field_to_an_array_of_messages()
    {
        // NSwag writes the subclass as allOf: the ProblemDetails fields, then its own.
        var parts = Component("HttpValidationProblemDetails").GetProperty("allOf").EnumerateArray().ToList();
        Assert.Equal("#/components/schemas/ProblemDetails", parts[0].GetProperty("$ref").GetString());
        var inherited = Component("ProblemDetails").GetProperty("properties");

        foreach (var field in new[] { "type", "title", "status", "detail" }) Assert.True(inherited.TryGetProperty(field, out _), field);
        var errors = parts[1].GetProperty("properties").GetProperty("errors");
        Assert.Equal("object", errors.GetProperty("type").GetString());
        var messages = errors.GetProperty("additionalProperties");
        Assert.Equal("array", messages.GetProperty("type").GetString());
        Assert.Equal("string", messages.GetProperty("items").GetProperty("type").GetString());
    }

    [Fact]
    public void Routes_with_a_json_body_document_400_413_and_415_and_others_do_not()
    {
        foreach (var (path, method, operation) in Operations())
        {
            var hasBody = operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out _);
            var responses = operation.GetProperty("responses");
            Assert.True(hasBody == responses.TryGetProperty("400", out _), $"{method} {path}: 400");
            Assert.True(hasBody == responses.TryGetProperty("413", out _), $"{method} {path}: 413");
            Assert.True(hasBody == responses.TryGetProperty("415", out _), $"{method} {path}: 415");
        }
        Assert.True(Operation("/register", "POST").TryGetProperty("requestBody", out _));
        Assert.True(Operation("/login", "POST").TryGetProperty("requestBody", out _));
    }

    [Fact]
    public void Session_routes_carry_the_cookie_requirement_and_a_401_problem()
    {
        // Every endpoint the authorization middleware guards, read from the app's own endpoint metadata.
        var guarded = fixture.App.Service<EndpointDataSource>().Endpoints
            .Where(e => e.Metadata.GetMetadata<EndpointDefinition>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null)
            .Select(e => e.Metadata.GetMetadata<EndpointDefinition>()!)
            .ToList();
        Assert.Equal(17, guarded.Count);
        Assert.All(SessionRoutes, route => Assert.Contains(guarded, d => d.Routes![0] == route));
        foreach (var definition in guarded)
        {
            var operation = Operation(definition.Routes![0], definition.Verbs![0]);
            var requirement = Assert.Single(operation.GetProperty("security").EnumerateArray());
            var scheme = Assert.Single(requirement.EnumerateObject());
            Assert.Equal("sessionCookie", scheme.Name);
            Assert.Equal(0, scheme.Value.GetArrayLength());
            Assert.Equal("#/components/schemas/ProblemDetails", SchemaRef(operation.GetProperty("responses").GetProperty("401"), ProblemJson));
        }
    }

    [Fact]
    public void Anonymous_routes_carry_no_security_requirement()
    {
        Assert.False(Doc.TryGetProperty("security", out _)); // no document-wide requirement either
        foreach (var (path, method, operation) in Operations().Where(o => AnonymousRoutes.Contains(o.Path)))
            Assert.False(operation.TryGetProperty("security", out var security) && security.GetArrayLength() > 0, $"{method} {path}");
        Assert.Equal(AnonymousRoutes.Length, Operations().Count(o => AnonymousRoutes.Contains(o.Path)));
        // Login's wrong-password answer is documented even though the route is anonymous.
        Assert.Equal("#/components/schemas/ProblemDetails", SchemaRef(Operation("/login", "POST").GetProperty("responses").GetProperty("401"), ProblemJson));
        Assert.Equal("#/components/schemas/ProblemDetails", SchemaRef(Operation("/auth/verify", "GET").GetProperty("responses").GetProperty("401"), ProblemJson));
        Assert.False(Operation("/logout", "POST").GetProperty("responses").TryGetProperty("401", out _));
    }

    [Fact]
    public void Cookie_security_scheme_is_an_api_key_in_the_session_cookie()
    {
        var scheme = Assert.Single(Doc.GetProperty("components").GetProperty("securitySchemes").EnumerateObject());

        Assert.Equal("sessionCookie", scheme.Name);
        Assert.Equal("apiKey", scheme.Value.GetProperty("type").GetString());
        Assert.Equal("cookie", scheme.Value.GetProperty("in").GetString());
        Assert.Equal("sliceauth", scheme.Value.GetProperty("name").GetString());
    }

    [Fact]
    public async Task Cookie_security_scheme_follows_the_configured_cookie_name()
    {
        using var app = new SliceAuthApp(settings: new Dictionary<string, string?> { ["Auth:CookieName"] = "othername" });

        var doc = await (await app.Client().GetAsync("/openapi/v1.json")).Json();

        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("sessionCookie");
        Assert.Equal("othername", scheme.GetProperty("name").GetString());
    }

    [Fact]
    public void A_ref_stands_alone_as_OpenAPI_3_0_requires()
    {
        // Anything beside a $ref is ignored by tools and refused by Spectral (no-$ref-siblings).
        static IEnumerable<JsonElement> Objects(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Objects(p.Value)).Prepend(element),
            JsonValueKind.Array => element.EnumerateArray().SelectMany(Objects),
            _ => [],
        };

        var withRef = Objects(Doc).Where(o => o.TryGetProperty("$ref", out _)).ToList();

        Assert.NotEmpty(withRef);
        Assert.All(withRef, o => Assert.Equal(["$ref"], o.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public void Schema_names_are_unique_and_name_the_slice()
    {
        var names = Doc.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(s => s.Name).ToList();

        foreach (var expected in new[] { "RegisterRequest", "RegisterResponse", "LoginRequest", "LoginResponse", "MeResponse", "ProtectedResponse",
                     "ListSessionsResponse", "ChangePasswordRequest", "DeleteAccountRequest", "VerifyEmailRequest", "ChangeEmailRequest",
                     "ForgotPasswordRequest", "ResetPasswordRequest", "PasskeyRegistrationOptionsResponse", "AddPasskeyRequest", "AddPasskeyResponse",
                     "ListPasskeysResponse", "PasskeyLoginOptionsResponse", "PasskeyLoginRequest", "PasskeyLoginResponse" })
            Assert.Contains(expected, names);
        Assert.DoesNotContain("Request", names);
        Assert.DoesNotContain("Response", names);

        // Each operation's own body and success schemas are its own: no two slices share one DTO schema.
        var dtoRefs = Operations()
            .SelectMany(o => new[] { RequestRef(o.Operation) }.Concat(SuccessRefs(o.Operation)))
            .OfType<string>()
            .ToList();
        // register and login: body and answer; me, protected, the session list: answer; password change, deletion,
        // verify, email change, forgot and reset: body; login/2fa, TOTP enrolment, its confirmation, code replacement:
        // body and answer; turning TOTP off: body; passkey add and login: body and answer; both passkey options and
        // the passkey list: answer
        Assert.Equal(29, dtoRefs.Count);
        Assert.Equal(dtoRefs.Count, dtoRefs.Distinct().Count());
        foreach (var reference in dtoRefs) Assert.Contains(reference.Split('/').Last(), names); // every $ref resolves
    }

    [Fact]
    public async Task Swagger_ui_is_served_over_the_document()
    {
        var client = fixture.App.Client();

        var redirect = await client.GetAsync("/swagger");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/swagger/index.html", redirect.Headers.Location?.OriginalString);

        var page = await client.GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        // Named in the page, so it loads however it is opened; same origin: the browser sends the session cookie.
        Assert.Contains("\"url\":\"/openapi/v1.json\"", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_Swagger_page_runs_exactly_its_own_inline_scripts_under_its_CSP()
    {
        var page = await fixture.App.Client().GetAsync("/swagger/index.html");
        var html = await page.Content.ReadAsStringAsync();
        var policy = string.Join(", ", page.Headers.GetValues("Content-Security-Policy"));
        var scriptSources = Regex.Match(policy, "script-src ([^;]*)").Groups[1].Value.Split(' ');

        var inline = Regex.Matches(html, @"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", RegexOptions.Singleline)
            // As a browser hashes it: after the HTML parser turned CR LF into LF.
            .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value.Replace("\r\n", "\n"))))}'")
            .ToList();
        Assert.NotEmpty(inline); // NSwag starts Swagger UI from an inline script
        Assert.Equal(["'self'", .. inline.Distinct().Order()], [scriptSources[0], .. scriptSources.Skip(1).Order()]);
        Assert.DoesNotContain("'unsafe-inline'", scriptSources);
    }

    [Fact]
    public async Task A_request_header_does_not_decide_what_the_document_says()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Proto", "gopher");

        var response = await fixture.App.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("evil.example", text);
        Assert.DoesNotContain("gopher", text);
        Assert.False(JsonDocument.Parse(text).RootElement.TryGetProperty("servers", out var servers) && servers.GetArrayLength() > 0);
    }

    [Fact]
    public void Operations_are_listed_in_the_order_a_person_uses_them()
    {
        // Swagger UI groups by tag in the document's tag order; tools read the paths top to bottom.
        Assert.Equal(["Register", "VerifyEmail", "Login", "LoginSecondFactor", "PasskeyLoginOptions", "PasskeyLogin", "Protected", "ForwardAuth", "Me",
                "ResendVerification", "ChangeEmail", "Logout", "ListSessions", "RevokeSession", "RevokeOtherSessions", "ChangePassword", "StartTotpEnrolment",
                "ConfirmTotp", "ReplaceRecoveryCodes", "DisableSecondFactor", "PasskeyRegistrationOptions", "AddPasskey", "ListPasskeys", "DeletePasskey",
                "ForgotPassword", "ResetPassword", "DeleteAccount"],
            Doc.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(["/register", "/email/verify", "/login", "/login/2fa", "/login/passkey/options", "/login/passkey", "/protected", "/auth/verify", "/me",
                "/me/email/verification", "/me/email", "/logout", "/me/sessions", "/me/sessions/{id}", "/me/password", "/me/2fa/totp", "/me/2fa/totp/confirm",
                "/me/2fa/recovery-codes", "/me/2fa", "/me/passkeys/options", "/me/passkeys", "/me/passkeys/{id}", "/password/forgot", "/password/reset"],
            Doc.GetProperty("paths").EnumerateObject().Select(p => p.Name));
        foreach (var tag in Doc.GetProperty("tags").EnumerateArray())
            Assert.False(string.IsNullOrWhiteSpace(tag.GetProperty("description").GetString()));
    }

    [Fact]
    public void Overload_and_rate_limits_are_documented_where_they_can_happen()
    {
        // The per-client rate limiter guards /register and /login; the password checkers' queue (and storage) can be full.
        foreach (var path in new[] { "/register", "/login" })
        {
            var responses = Operation(path, "POST").GetProperty("responses");
            Assert.Contains("Retry-After", responses.GetProperty("429").GetProperty("description").GetString());
            Assert.Contains("busy checking passwords", responses.GetProperty("503").GetProperty("description").GetString());
        }
        // The routes that redeem a mailed token are limited per client like login.
        foreach (var path in new[] { "/email/verify", "/password/reset" })
            Assert.Contains("Retry-After", Operation(path, "POST").GetProperty("responses").GetProperty("429").GetProperty("description").GetString());
        foreach (var (path, method) in new[] { ("/me/password", "POST"), ("/me", "DELETE"), ("/me/email", "POST"), ("/password/reset", "POST") })
            Assert.Contains("busy checking passwords", Operation(path, method).GetProperty("responses").GetProperty("503").GetProperty("description").GetString());
        // Storage can fail under any route: every operation says 503 may come.
        Assert.All(Operations(), o => Assert.True(o.Operation.GetProperty("responses").TryGetProperty("503", out _), $"{o.Method} {o.Path}"));
    }

    [Fact]
    public async Task Every_request_example_is_accepted_by_the_API_in_the_documents_order()
    {
        using var app = new SliceAuthApp(); // a fresh store: the example account does not exist yet
        var client = app.Client();
        var used = new List<string>();

        // Each body exactly as the Swagger page fills it in from the document.
        async Task<HttpResponseMessage> Execute(string method, string path, string? cookie, HttpStatusCode expected, string? id = null)
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", id)).WithCookie(cookie);
            if (RequestRef(Operation(path, method)) is { } reference)
            {
                var example = Component(reference.Split('/').Last()).GetProperty("example");
                request.Content = new StringContent(example.GetRawText(), Encoding.UTF8, "application/json");
                used.Add($"{method} {path}");
            }
            var response = await client.SendAsync(request);
            Assert.True(expected == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response;
        }

        await Execute("POST", "/register", null, HttpStatusCode.Created);
        await Execute("POST", "/email/verify", null, HttpStatusCode.BadRequest); // the example's token is no mailed one
        var cookie = (await Execute("POST", "/login", null, HttpStatusCode.OK)).SessionCookie();
        await Execute("POST", "/login/2fa", null, HttpStatusCode.Unauthorized); // no login is waiting for a code
        await Execute("GET", "/protected", cookie, HttpStatusCode.OK);
        await Execute("GET", "/me", cookie, HttpStatusCode.OK);
        await Execute("POST", "/me/email/verification", cookie, HttpStatusCode.Accepted);
        await Execute("POST", "/me/email", cookie, HttpStatusCode.Accepted);
        await Execute("POST", "/logout", cookie, HttpStatusCode.NoContent);

        cookie = (await Execute("POST", "/login", null, HttpStatusCode.OK)).SessionCookie();
        await Execute("POST", "/login", null, HttpStatusCode.OK); // a second device
        await Execute("GET", "/me/sessions", cookie, HttpStatusCode.OK);
        var other = (await client.Sessions(cookie)).First(s => !s.Current).Id;
        await Execute("DELETE", "/me/sessions/{id}", cookie, HttpStatusCode.NoContent, id: other);
        await Execute("POST", "/login", null, HttpStatusCode.OK); // a third device, for "log out everywhere else"
        await Execute("DELETE", "/me/sessions", cookie, HttpStatusCode.NoContent);
        await Execute("POST", "/me/2fa/totp", cookie, HttpStatusCode.OK);
        await Execute("POST", "/me/2fa/totp/confirm", cookie, HttpStatusCode.BadRequest); // the example's code is not the app's
        await Execute("POST", "/me/2fa/recovery-codes", cookie, HttpStatusCode.Conflict); // TOTP is not on
        await Execute("DELETE", "/me/2fa", cookie, HttpStatusCode.Conflict);
        cookie = (await Execute("POST", "/me/password", cookie, HttpStatusCode.NoContent)).SessionCookie();
        // The passkey examples show a browser answer's shape; no authenticator signed them, so no challenge matches.
        await Execute("POST", "/me/passkeys/options", cookie, HttpStatusCode.OK);
        await Execute("POST", "/me/passkeys", cookie, HttpStatusCode.BadRequest);
        await Execute("GET", "/me/passkeys", cookie, HttpStatusCode.OK);
        await Execute("DELETE", "/me/passkeys/{id}", cookie, HttpStatusCode.NotFound, id: Guid.Empty.ToString());
        await Execute("POST", "/login/passkey/options", null, HttpStatusCode.OK);
        await Execute("POST", "/login/passkey", null, HttpStatusCode.Unauthorized);
        await Execute("POST", "/password/forgot", null, HttpStatusCode.Accepted);
        await Execute("POST", "/password/reset", null, HttpStatusCode.BadRequest); // the example's token is no mailed one
        await Execute("DELETE", "/me", cookie, HttpStatusCode.NoContent);

        // Every operation with a body was executed with its example.
        Assert.Equal(Operations().Where(o => RequestRef(o.Operation) is not null).Select(o => $"{o.Method} {o.Path}").Order(), used.Distinct().Order());
    }

    private IEnumerable<(string Path, string Method, JsonElement Operation)> Operations() =>
        Doc.GetProperty("paths").EnumerateObject().SelectMany(path =>
            path.Value.EnumerateObject().Select(op => (path.Name, op.Name.ToUpperInvariant(), op.Value)));

    private JsonElement Operation(string path, string method) =>
        Doc.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant());

    private JsonElement Component(string name) => Doc.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private JsonElement RequestSchema(string path) =>
        Component(RequestRef(Operation(path, "POST"))!.Split('/').Last());

    private static string? RequestRef(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) ? SchemaRef(body, "application/json") : null;

    private static IEnumerable<string> SuccessRefs(JsonElement operation) =>
        operation.GetProperty("responses").EnumerateObject()
            .Where(r => r.Name.StartsWith('2') && r.Value.TryGetProperty("content", out _))
            .Select(r => SchemaRef(r.Value, "application/json"));

    // An array answer (the session list) refers to its item schema.
    private static string SchemaRef(JsonElement withContent, string mediaType)
    {
        var schema = withContent.GetProperty("content").GetProperty(mediaType).GetProperty("schema");
        if (schema.TryGetProperty("items", out var items)) schema = items;
        return schema.GetProperty("$ref").GetString()!;
    }

    private static IEnumerable<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString());
}
