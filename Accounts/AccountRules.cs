using FluentValidation;
using FluentValidation.Validators;

namespace SliceAuth.Accounts;

/// <summary>
/// The credential rules Register and Login share. Each is a FluentValidation validator that exposes its limits
/// (ILengthValidator, IRegularExpressionValidator, IEmailValidator), so the OpenAPI document can show them.
/// </summary>
public static class AccountRules
{
    public static IRuleBuilderOptions<T, string> ValidUsername<T>(this IRuleBuilderInitial<T, string> rule) => rule
        .Cascade(CascadeMode.Stop)
        .NotEmpty().WithMessage("Username is required.")
        .SetValidator(new CodePointLengthValidator<T>(Usernames.MinLength, Usernames.MaxLength, Usernames.Canonical))
        .WithMessage($"Username must be {Usernames.MinLength} to {Usernames.MaxLength} characters long.")
        .SetValidator(new UsernameCharactersValidator<T>())
        .WithMessage("Username may contain only letters, digits, '.', '_' and '-'.")
        .SetValidator(new UsernameScriptsValidator<T>());

    public static IRuleBuilderOptions<T, string> ValidEmail<T>(this IRuleBuilderInitial<T, string> rule) => rule
        .Cascade(CascadeMode.Stop)
        .NotEmpty().WithMessage("Email is required.")
        .SetValidator(new CodePointLengthValidator<T>(0, Emails.MaxLength, Emails.Clean))
        .WithMessage($"Email must be at most {Emails.MaxLength} characters long.")
        .SetValidator(new EmailValidator<T>())
        .WithMessage("Email must be a valid email address.");

    /// <summary>A token from a mailed link: present and not absurdly long; whether it is any good only the store can say.</summary>
    public static IRuleBuilderOptions<T, string> PresentToken<T>(this IRuleBuilderInitial<T, string> rule) => rule
        .Cascade(CascadeMode.Stop)
        .NotEmpty().WithMessage("Token is required.")
        .MaximumLength(MaxTokenLength).WithMessage($"Token must be at most {MaxTokenLength} characters long.");

    /// <summary>Mailed tokens are 43 characters; room for a link that wrapped or gained padding.</summary>
    public const int MaxTokenLength = 128;

    /// <summary>Length, then the policy (common, or containing the account's own name as <paramref name="identity"/> gives it).</summary>
    public static IRuleBuilderOptions<T, string> ValidNewPassword<T>(
        this IRuleBuilderInitial<T, string> rule, Func<T, (string? Username, string? Email)> identity) => rule
        .Cascade(CascadeMode.Stop)
        .NotEmpty().WithMessage("Password is required.")
        .SetValidator(new CodePointLengthValidator<T>(Passwords.MinLength, Passwords.MaxLength, Passwords.ForLengthCheck))
        .WithMessage($"Password must be {Passwords.MinLength} to {Passwords.MaxLength} characters long.")
        .Must(p => !PasswordPolicy.IsCommon(p)).WithMessage(PasswordPolicy.CommonMessage)
        .Must((owner, p) => !PasswordPolicy.ContainsIdentity(p, identity(owner).Username, identity(owner).Email))
        .WithMessage(PasswordPolicy.PersonalMessage);

    /// <summary>Length in Unicode code points (as JSON Schema counts), of the value as the rules see it.</summary>
    private sealed class CodePointLengthValidator<T>(int min, int max, Func<string, string> normalize)
        : PropertyValidator<T, string>, ILengthValidator
    {
        public override string Name => "CodePointLengthValidator";
        public int Min => min;
        public int Max => max;

        public override bool IsValid(ValidationContext<T> context, string value)
        {
            if (value is null) return true;
            var length = normalize(value).EnumerateRunes().Count();
            return length >= min && length <= max;
        }
    }

    private sealed class UsernameCharactersValidator<T> : PropertyValidator<T, string>, IRegularExpressionValidator
    {
        public override string Name => "UsernameCharactersValidator";
        public string Expression => Usernames.Pattern;

        public override bool IsValid(ValidationContext<T> context, string value) =>
            value is null || Usernames.HasOnlyAllowedCharacters(Usernames.Canonical(value));
    }

    /// <summary>One script per name (UTS #39 Highly Restrictive), so a name cannot pass for another by mixing in a lookalike letter.</summary>
    private sealed class UsernameScriptsValidator<T> : PropertyValidator<T, string>
    {
        public override string Name => "UsernameScriptsValidator";

        protected override string GetDefaultMessageTemplate(string errorCode) => "{Problem}";

        public override bool IsValid(ValidationContext<T> context, string value)
        {
            if (value is null || Usernames.ScriptProblem(value) is not { } problem) return true;
            context.MessageFormatter.AppendArgument("Problem", problem);
            return false;
        }
    }

    // Derived from FluentValidation's AspNetCore-compatible email validator only so that FastEndpoints.Swagger, which
    // recognises that type, documents `format: email`; the check itself is ours.
    private sealed class EmailValidator<T> : AspNetCoreCompatibleEmailValidator<T>
    {
        public override string Name => "EmailValidator";

        public override bool IsValid(ValidationContext<T> context, string value) =>
            value is null || Emails.IsValid(Emails.Clean(value));
    }
}
