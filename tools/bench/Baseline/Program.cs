// The benchmark's baseline: what stock ASP.NET Core does with the same kind of requests as SliceAuth.
//   GET  /bare    a small JSON, no authentication: the ceiling of this machine and host.
//   POST /login   signs in (no password check) and sets a stock cookie that carries the whole ticket.
//   GET  /cookie  behind stock cookie authentication: the stateless counterpart of SliceAuth's GET /protected.
// Unauthenticated calls get 401, never a redirect, as in SliceAuth.
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;

var builder = WebApplication.CreateBuilder(args);

// The same log levels as SliceAuth's appsettings.json: no per-request log lines.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

// A key ring on disk like SliceAuth's (Baseline:KeysDirectory, default ./keys).
builder.Services.AddDataProtection()
    .SetApplicationName("SliceAuthBaseline")
    .PersistKeysToFileSystem(new DirectoryInfo(builder.Configuration["Baseline:KeysDirectory"] ?? "keys"));

builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
{
    cookie.Cookie.Name = "baseline";
    cookie.Cookie.HttpOnly = true;
    cookie.Cookie.SameSite = SameSiteMode.Lax;
    cookie.Events.OnRedirectToLogin = context =>
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    };
    cookie.Events.OnRedirectToAccessDenied = context =>
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    };
});
builder.Services.AddAuthorization();

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

app.MapGet("/bare", () => Results.Json(new { message = "ok" }));

app.MapPost("/login", async (HttpContext http, LoginRequest request) =>
{
    var claims = new List<Claim>
    {
        new(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()),
        new(ClaimTypes.Name, request.Username),
    };
    await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
        new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme)));
    return Results.Json(new { username = request.Username });
});

app.MapGet("/cookie", (ClaimsPrincipal user) =>
        Results.Json(new { message = "You are logged in.", username = user.FindFirstValue(ClaimTypes.Name) }))
    .RequireAuthorization();

app.MapGet("/health/ready", () => Results.Json(new { status = "Healthy" }));

app.Run();

internal sealed record LoginRequest(string Username);
