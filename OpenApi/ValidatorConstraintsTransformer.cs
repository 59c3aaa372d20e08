using System.Text.Json.Serialization.Metadata;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace SliceAuth.OpenApi;

/// <summary>
/// The request validators' limits as JSON Schema keywords, read generically from FluentValidation's descriptors:
/// ILengthValidator gives minLength/maxLength, IRegularExpressionValidator a pattern, IEmailValidator format
/// email, NotEmpty/NotNull a required field. Rules are keyed by the JSON (camelCase) property name, because
/// FastEndpoints resolves FluentValidation property names with the JSON naming policy.
/// </summary>
internal sealed class ValidatorConstraintsTransformer(RequestValidators validators) : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is { } property)
        {
            // A property's own schema: limits on the value.
            if (validators.For(property.DeclaringType) is { } descriptor)
                foreach (var validator in ValidatorsOf(descriptor, property)) ApplyLimit(schema, validator);
        }
        else if (validators.For(context.JsonTypeInfo.Type) is { } descriptor)
        {
            // The DTO's schema: which properties must be present.
            foreach (var member in context.JsonTypeInfo.Properties)
                if (ValidatorsOf(descriptor, member).Any(v => v is INotEmptyValidator or INotNullValidator))
                    (schema.Required ??= new HashSet<string>()).Add(member.Name);
        }
        return Task.CompletedTask;
    }

    /// <summary>The validators that always run on the property: conditional rules (When/Unless) and rule sets do not.</summary>
    private static IEnumerable<IPropertyValidator> ValidatorsOf(IValidatorDescriptor descriptor, JsonPropertyInfo property) =>
        descriptor.GetRulesForMember(property.Name)
            .Where(rule => !rule.HasCondition && !rule.HasAsyncCondition && rule.RuleSets is not { Length: > 0 })
            .SelectMany(rule => rule.Components)
            .Where(component => !component.HasCondition && !component.HasAsyncCondition)
            .Select(component => component.Validator);

    private static void ApplyLimit(OpenApiSchema schema, IPropertyValidator validator)
    {
        switch (validator)
        {
            case ILengthValidator length:
                // Min 0 is no lower limit; MinimumLength reports Max -1 for no upper limit. Several rules: the strictest wins.
                if (length.Min > 0) schema.MinLength = Math.Max(schema.MinLength ?? 0, length.Min);
                if (length.Max > 0) schema.MaxLength = Math.Min(schema.MaxLength ?? int.MaxValue, length.Max);
                break;
            case IRegularExpressionValidator regex:
                schema.Pattern = regex.Expression;
                break;
            case IEmailValidator:
                schema.Format = "email";
                break;
        }
    }
}
