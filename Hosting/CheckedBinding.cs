using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace SliceAuth.Hosting;

/// <summary>
/// Binds an options class to its configuration section after checking the section's shape against the class:
/// every key is one the class has, and every value converts to its property's type. The binder alone would
/// throw a stack trace naming a .NET type for "30m", silently ignore a misspelt key, and read a bare "30" as
/// thirty days; each of those becomes one sentence naming the key. Values are described, never echoed for
/// string settings (the pepper is one).
/// </summary>
public static class CheckedBinding
{
    public static OptionsBuilder<T> BindChecked<T>(this OptionsBuilder<T> options, IConfiguration configuration, string section)
        where T : class => options.Configure(o =>
    {
        var config = configuration.GetSection(section);
        var errors = new List<string>();
        CheckSection(config, typeof(T), errors);
        if (errors.Count > 0) throw new OptionsValidationException(section, typeof(T), errors);
        config.Bind(o);
    });

    private static void CheckSection(IConfigurationSection section, Type type, List<string> errors)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!properties.TryGetValue(child.Key, out var property))
                errors.Add($"{child.Path} is not a setting SliceAuth knows (the keys under {section.Path} are {string.Join(", ", properties.Keys)}).");
            else
                CheckValue(child, property.PropertyType, errors);
        }
    }

    private static void CheckValue(IConfigurationSection setting, Type type, List<string> errors)
    {
        if (type.IsArray)
        {
            // A plain value where a list belongs ("a,b") would bind as an empty list.
            if (!string.IsNullOrEmpty(setting.Value))
                errors.Add($"{setting.Path} is a list: give each entry its own key ({setting.Path}:0, {setting.Path}:1, ... or {EnvName(setting.Path)}__0 in the environment), or a JSON array in appsettings.json.");
            foreach (var entry in setting.GetChildren())
            {
                if (!int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    errors.Add($"{entry.Path} is not a list entry: entries are numbered {setting.Path}:0, {setting.Path}:1, ...");
                else
                    CheckValue(entry, type.GetElementType()!, errors);
            }
        }
        else if (type == typeof(string) || IsScalar(type))
        {
            if (setting.GetChildren().Any())
                errors.Add($"{setting.Path} is a single value, not a section (found {setting.GetChildren().First().Path}).");
            else if (setting.Value is { Length: > 0 } value && type != typeof(string) && Describe(value, type) is { } expected)
                errors.Add($"{setting.Path} must be {expected} (got '{value}').");
        }
        else
        {
            if (!string.IsNullOrEmpty(setting.Value))
                errors.Add($"{setting.Path} is a section: set the keys under it ({setting.Path}:...), not a value.");
            CheckSection(setting, type, errors);
        }
    }

    private static bool IsScalar(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(TimeSpan) || type == typeof(decimal);

    /// <summary>What the value should look like, or null when it converts as the binder will convert it.</summary>
    private static string? Describe(string value, Type type)
    {
        if (type == typeof(TimeSpan))
            // TimeSpan reads "30" as thirty days; nobody means that, so a duration must have its colons.
            return value.Contains(':') && TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out _)
                ? null
                : "a duration written hh:mm:ss or d.hh:mm:ss, for example 00:30:00 for thirty minutes";
        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or NotSupportedException or OverflowException)
        {
            return type == typeof(bool) ? "true or false"
                : type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}"
                : type == typeof(int) || type == typeof(long) ? "a whole number"
                : $"a {type.Name}";
        }
    }

    private static string EnvName(string path) => path.Replace(":", "__");
}
